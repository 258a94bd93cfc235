/* embed-c STACK_DIR: reconcile from C through the C ABI (reconcile/c_api.h).
 * Opens the stack in workspace "default", plans, applies, prints the
 * outputs, switches to workspace "staging" and plans there (a state of its
 * own: everything to add), switches back and destroys. Every document is
 * JSON; this program prints them as they come (a real program would hand
 * them to its JSON library). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <reconcile/c_api.h>

/* Prints each finished resource as the apply goes. */
static void on_event(const char* event_json, void* user) {
  int* completed = user;
  if (strstr(event_json, "\"type\":\"apply_complete\"") != NULL) {
    ++*completed;
    printf("event: %s\n", event_json);
  }
}

/* Prints the diagnostics of a failed call and exits. */
static void fail(const char* what, char* diagnostics) {
  fprintf(stderr, "%s failed: %s\n", what, diagnostics != NULL ? diagnostics : "(no diagnostics)");
  rc_free(diagnostics);
  exit(1);
}

/* Plans the current workspace; prints the plan's summary. The caller
 * releases the plan document. */
static char* plan(rc_engine* engine) {
  char* plan = NULL;
  char* diagnostics = NULL;
  int rc = rc_plan(engine, NULL, &plan, &diagnostics);
  if (rc == RC_ERROR) fail("rc_plan", diagnostics);
  rc_free(diagnostics);
  printf("plan: %s\n", rc == RC_CHANGES ? "changes" : "no changes");
  const char* counts = strstr(plan, "\"summary\":");
  printf("plan summary: %.*s\n", counts != NULL ? (int)(strchr(counts, '}') - counts + 1) : 0, counts);
  return plan;
}

/* Plans and applies the current workspace. */
static void plan_and_apply(rc_engine* engine) {
  char* summary = NULL;
  char* diagnostics = NULL;
  char* plan_json = plan(engine);
  if (rc_apply(engine, plan_json, &summary, &diagnostics) != RC_OK) fail("rc_apply", diagnostics);
  printf("applied: %s\n", summary);
  rc_free(diagnostics);
  rc_free(summary);
  rc_free(plan_json);
}

static void print_outputs(rc_engine* engine) {
  char* outputs = NULL;
  char* diagnostics = NULL;
  if (rc_outputs(engine, &outputs, &diagnostics) != RC_OK) fail("rc_outputs", diagnostics);
  /* The outputs JSON holds the sensitive password in clear (as `output
   * --json` does): print only the name of the greeting file. */
  const char* file = strstr(outputs, "\"greeting_file\"");
  const char* value = file != NULL ? strstr(file, "\"value\":\"") : NULL;
  if (value != NULL) {
    value += strlen("\"value\":\"");
    printf("output greeting_file = %.*s\n", (int)(strchr(value, '"') - value), value);
  }
  rc_free(outputs);
  rc_free(diagnostics);
}

static void destroy(rc_engine* engine) {
  char* summary = NULL;
  char* diagnostics = NULL;
  if (rc_destroy(engine, NULL, &summary, &diagnostics) != RC_OK) fail("rc_destroy", diagnostics);
  printf("destroyed: %s\n", summary);
  rc_free(summary);
  rc_free(diagnostics);
}

static void select_workspace(rc_engine* engine, const char* name) {
  char* diagnostics = NULL;
  char* listing = NULL;
  if (rc_select_workspace(engine, name, &diagnostics) != RC_OK) fail("rc_select_workspace", diagnostics);
  rc_free(diagnostics);
  if (rc_workspaces(engine, &listing, &diagnostics) != RC_OK) fail("rc_workspaces", diagnostics);
  printf("workspaces: %s\n", listing);
  rc_free(listing);
  rc_free(diagnostics);
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: embed-c STACK_DIR\n");
    return 2;
  }
  /* The options are JSON; a stack path with quotes or backslashes would need
   * escaping, which this example leaves out. */
  char options[4096];
  snprintf(options, sizeof options, "{\"stack_dir\": \"%s\", \"workspace\": \"default\"}", argv[1]);
  char* diagnostics = NULL;
  rc_engine* engine = rc_open(options, &diagnostics);
  if (engine == NULL) fail("rc_open", diagnostics);
  rc_free(diagnostics);
  int completed = 0;
  rc_set_event_callback(engine, on_event, &completed);

  plan_and_apply(engine);
  print_outputs(engine);
  select_workspace(engine, "staging");
  rc_free(plan(engine));
  select_workspace(engine, "default");
  destroy(engine);

  printf("resources completed: %d\n", completed);
  rc_close(engine);
  return 0;
}
