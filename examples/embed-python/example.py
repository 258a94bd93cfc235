"""reconcile from Python (bindings/python, ctypes over the C ABI).

    python3 example.py STACK_DIR

Opens the stack in workspace "default", plans, applies (following its events
as they come), prints the outputs, switches to workspace "staging" and plans
there (a state of its own: everything to add), switches back and destroys.
"""
import sys

import reconcile


def plan(stack):
    made = stack.plan()
    s = made.summary
    print("plan: %d to add, %d to change, %d to destroy" % (s["add"], s["change"], s["destroy"]))
    return made


def plan_and_apply(stack):
    plan_made = plan(stack)
    if not plan_made.changes_present:
        return
    # Run the apply in the background and follow its events.
    run = stack.start("apply", plan_made)
    for event in run:
        if event["type"] == "apply_complete":
            print("created %s" % event["address"])
    summary = run.result()
    print("applied: %d added, %d changed, %d destroyed" % (summary["add"], summary["change"], summary["remove"]))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: example.py STACK_DIR")
    with reconcile.Stack(sys.argv[1], workspace="default") as stack:
        plan_and_apply(stack)
        outputs = stack.outputs(detailed=True)
        for name, output in sorted(outputs.items()):
            print("output %s = %s" % (name, "(sensitive)" if output["sensitive"] else output["value"]))

        stack.select_workspace("staging")
        print("workspace: %s of %s" % (stack.workspace, ", ".join(stack.workspaces())))
        plan(stack)

        stack.select_workspace("default")
        print("destroyed: %d" % stack.destroy()["remove"])

        # Errors carry the diagnostics.
        try:
            stack.plan(targets=["not an address"])
        except reconcile.ReconcileError as error:
            print("error: %s" % error.diagnostics[0]["summary"])


if __name__ == "__main__":
    main()
