/* reconcile's C ABI: the embedding API for C and every language with a C
 * foreign-function interface (the Python package in bindings/python is built
 * on it). JSON in, JSON out, an opaque engine handle. docs/embedding.md has a
 * complete example; docs/json-format.md the plan and event formats.
 *
 * Conventions:
 * - Functions returning int return RC_OK (0) on success, RC_ERROR (1) on
 *   error (the diagnostics say why), RC_CHANGES (2) from rc_plan when the
 *   plan has changes.
 * - Every `char**` out-parameter may be NULL (not wanted). When not NULL it is
 *   set to NULL or to a NUL-terminated UTF-8 string that the caller releases
 *   with rc_free. `diagnostics_json` is always set (when not NULL) to a JSON
 *   array of diagnostics, empty on success without warnings:
 *     [{"severity": "error", "summary": "...", "detail": "...",
 *       "range": {"filename": "main.toml", "line": 3, "column": 1},
 *       "address": "aws_vpc.main"}]        (range and address when known)
 * - Calls on one engine may come from any thread; they are run one at a time
 *   (a second call waits for the first), except rc_cancel and
 *   rc_set_event_callback, which never wait. Different engines run in
 *   parallel. rc_close must not race another call on the same engine.
 * - Nothing crosses this boundary but C types: no C++ exception escapes, an
 *   internal failure is an RC_ERROR with a diagnostic.
 */
#ifndef RECONCILE_C_API_H_
#define RECONCILE_C_API_H_

#ifdef __cplusplus
extern "C" {
#endif

#define RC_OK 0
#define RC_ERROR 1
#define RC_CHANGES 2

/* An open stack in a workspace. */
typedef struct rc_engine rc_engine;

/* Opens a stack (configuration only: no state is read, no provider started).
 * options_json (NULL or "" means {}):
 *   {"stack_dir": ".",                  the stack directory (default: the
 *                                        current one)
 *    "files": {"main.toml": "..."},     an in-memory stack instead of the
 *                                        *.toml files of stack_dir, which
 *                                        still holds .reconcile/ (local state)
 *    "workspace": "prod",               default: the selected one
 *    "variables": {"name": value},      as --var; a string is taken as typed,
 *                                        other JSON values as the literal
 *    "var_files": ["prod.tfvars.toml"], as --var-file, in order
 *    "parallelism": 10,
 *    "plugin_dirs": ["/opt/plugins"],   searched for provider plugins (see
 *                                        reconcile/plugin.h), after which
 *                                        this library's own install is
 *    "lock_timeout_ms": 0}              how long to wait for the state lock
 * Returns NULL on error. */
rc_engine* rc_open(const char* options_json, char** diagnostics_json);

/* Plans: locks, reads and refreshes state, plans, unlocks. plan_options_json
 * (NULL or "" means {}):
 *   {"destroy": false, "refresh": true, "refresh_only": false,
 *    "targets": ["aws_vpc.main"]}
 * *plan_json receives the plan document of `reconcile show --json`
 * (docs/json-format.md: sensitive values hidden). Returns RC_CHANGES when
 * applying it would change something, RC_OK when not. */
int rc_plan(rc_engine* engine, const char* plan_options_json, char** plan_json,
            char** diagnostics_json);

/* Applies a plan document rc_plan returned. A plan made by this engine is
 * applied exactly as planned and refused, as a saved plan is, when the state
 * or the configuration moved since. Any other plan document (from another
 * engine or process) is planned again under the lock and applied only if the
 * new plan is the same document. *summary_json receives
 *   {"add": 1, "change": 0, "remove": 0, "failed": 0, "elapsed_ms": 41}. */
int rc_apply(rc_engine* engine, const char* plan_json, char** summary_json,
             char** diagnostics_json);

/* Plans the destruction of everything (or of options {"targets": [...]} and
 * what depends on them) and applies it under one lock, as
 * `reconcile destroy --auto-approve`. *summary_json as for rc_apply. */
int rc_destroy(rc_engine* engine, const char* options_json, char** summary_json,
               char** diagnostics_json);

/* Reads every recorded resource and records what is there. */
int rc_refresh(rc_engine* engine, char** diagnostics_json);

/* The current workspace's outputs, sensitive ones included (as
 * `reconcile output --json`):
 *   {"name": {"sensitive": false, "value": ...}} */
int rc_outputs(rc_engine* engine, char** outputs_json, char** diagnostics_json);

/* Makes `name` the current workspace, creating it (with an empty state) when
 * it does not exist. Providers are configured anew for it. */
int rc_select_workspace(rc_engine* engine, const char* name, char** diagnostics_json);

/* {"current": "dev", "workspaces": ["default", "dev", "prod"]} */
int rc_workspaces(rc_engine* engine, char** workspaces_json, char** diagnostics_json);

/* Deploys release values (`reconcile deploy NAME=VALUE...`): sets them for
 * this run, plans and applies under one lock (recorded as a "deploy" in the
 * history), then waits for the rollouts the apply started (ECS service
 * deployments) unless "wait" is false. options_json:
 *   {"release": {"image_tag": "v2"},   release variables of the stack (any
 *                                       other name is refused before any
 *                                       change); left out: the recorded ones
 *    "wait": true, "timeout_ms": 1800000, "poll_interval_ms": 5000}
 * Events: the plan's, "release_change", the apply's, "rollout_progress" and
 * a final "deploy_summary" (docs/json-format.md). *result_json receives
 *   {"result": "completed" | "unchanged" | "not_waited" | "failed" |
 *              "rolled_back" | "timed_out" | "stopped",
 *    "release": {"workspace", "values": [...]}, "summary": {as rc_apply},
 *    "rollouts": [{"address", "phase", "running", "desired", ...}],
 *    "problems": ["aws_ecs_service.app: ..."]}
 * Returns RC_OK when the result is completed, unchanged or not_waited;
 * RC_ERROR otherwise (rc_cancel during the wait gives "stopped": the
 * rollouts go on, nothing more is changed). */
int rc_deploy(rc_engine* engine, const char* options_json, char** result_json,
              char** diagnostics_json);

/* The workspace's applies, newest first, at most `limit` (0: 20), as
 * `reconcile history --json`: {"workspace": "prod", "entries": [{"serial",
 * "version", "time", "who", "operation", "summary", "release",
 * "task_definitions"}]}. Rolling back is rc_deploy with an entry's release. */
int rc_history(rc_engine* engine, int limit, char** history_json, char** diagnostics_json);

/* Receives every event of the engine's operations: the objects of
 * `--json` (docs/json-format.md, "The event stream"), one per call. Called
 * from the engine's threads, one call at a time; event_json is valid during
 * the call only. NULL stops the events. May be called at any time. */
typedef void (*rc_event_callback)(const char* event_json, void* user);
void rc_set_event_callback(rc_engine* engine, rc_event_callback callback, void* user);

/* Stops the engine's running operation (or, when none runs, the next one to
 * start) gracefully, as Ctrl-C does: the first call starts no more provider
 * calls and lets those in flight finish; a second abandons them (their
 * outcome is settled by the next plan). Either way the operation then saves
 * the state, releases the lock and returns RC_ERROR with an "Interrupted"
 * (or "Apply interrupted") diagnostic; the engine serves later calls as
 * usual; inside rc_deploy's wait for rollouts it stops the wait. Does not
 * wait for the operation: callable from any thread while another is inside
 * rc_apply, including from the event callback. NULL is ignored. */
void rc_cancel(rc_engine* engine);

/* Releases a string this API returned. NULL is ignored. */
void rc_free(char* text);

/* Closes the engine (stopping its provider plugins). NULL is ignored. */
void rc_close(rc_engine* engine);

#ifdef __cplusplus
}
#endif

#endif /* RECONCILE_C_API_H_ */
