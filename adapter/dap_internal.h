/* State and helpers shared by the session, the target glue and the request
 * handlers.  Handlers get typed arguments from dap_args.h; they build
 * response bodies with cJSON. */
#ifndef DAP_INTERNAL_H
#define DAP_INTERNAL_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include <sys/types.h>

#include "dap_session.h"
#include "dap_args.h"
#include "dap_framing.h"
#include "dap_errors.h"
#include "../debugger/dbg.h"
#include "../goruntime/grt_value.h"

typedef enum dap_state {
	DAP_IDLE,        /* nothing launched */
	DAP_CONFIGURING, /* launched, waiting for configurationDone */
	DAP_RUNNING,
	DAP_STOPPED,
	DAP_TERMINATED,
} dap_state;

/* What a DAP handle (frameId / variablesReference) stands for.  Handles
 * die when the program resumes. */
typedef struct dap_handle {
	int kind; /* DAP_H_FRAME, DAP_H_SCOPE, DAP_H_VALUE */
	uint64_t goid;
	pid_t tid;
	int frame;
} dap_handle;
enum { DAP_H_FRAME = 1, DAP_H_SCOPE = 2, DAP_H_VALUE = 3 };
/* What a scope or value handle holds besides its frame, in an array
 * parallel to the handles (dap_handle stays a plain value). */
struct grt_value;
typedef struct dap_handle_ext {
	int scope;              /* DAP_H_SCOPE: DAP_SCOPE_* */
	struct grt_value *val;  /* DAP_H_VALUE: owned */
	char *expr;             /* the expression naming it (owned) or NULL */
	/* DAP_H_VALUE: how much its children show (the evaluate context
	 * it came from); all zero means the defaults. */
	grt_fmtlim lim;
} dap_handle_ext;
enum { DAP_SCOPE_LOCALS = 1, DAP_SCOPE_GLOBALS, DAP_SCOPE_REGISTERS };

/* What the adapter keeps of the program besides the debugger's target:
 * the binary it built and the program's output pipes. */
typedef struct dap_target {
	char *tmp_binary; /* built by us: removed at the end */
	char *tmp_dir;
	int out_fd, err_fd; /* read ends of the program's stdout/stderr */
	/* The start of a UTF-8 character cut by the last read of stdout
	 * [0] / stderr [1], sent with the next bytes. */
	char carry[2][4];
	size_t ncarry[2];
	int64_t exit_ms; /* CLOCK_MONOTONIC ms of the exited event, 0 before */
	int detach; /* launched, but detach at the end (disconnect said) */
} dap_target;

typedef struct dap_build dap_build; /* dap_build.h */
typedef struct dap_term dap_term;   /* dap_terminal.c */

/* A program run with noDebug: an untraced child, its output piped. */
typedef struct dap_plain {
	pid_t pid;          /* also its process group */
	int reaped;
	int out_fd, err_fd; /* read ends of its stdout/stderr, -1 at EOF */
	char carry[2][4];   /* a UTF-8 character cut by the last read */
	size_t ncarry[2];
	char *tmp_dir;      /* the build's, removed at the end */
	/* In the client's terminal (console integratedTerminal): the
	 * launcher there is its parent and reports its wait status on this
	 * socket; pid is not ours to wait for.  -1 otherwise. */
	int status_fd;
} dap_plain;

struct dap_session {
	int in_fd, out_fd;
	gd_log *log;
	dap_framing *fr;
	int seq;
	int sigfd;
	/* SIGTERM, SIGINT and SIGHUP arrive here: godap then ends the
	 * session as a disconnect would (breakpoints out, an attached
	 * program detached, a launched one killed, the build removed). */
	int termfd;
	int term_sig; /* the one that ended us, 0 if none */
	int done;
	int exit_code;
	dap_state state;
	int lines_start_at1;
	int client_invalidated; /* the client handles 'invalidated' events */
	int columns_start_at1;

	dap_args_launch cfg; /* launch/attach configuration */
	int have_cfg;
	dbg *dbg;            /* owns the target, breakpoints and run loop */
	dap_target *tgt;     /* NULL until launch/attach */
	dap_plain *plain;    /* noDebug: the program, or NULL */

	/* What the client said it can do (initialize). */
	int client_progress, client_run_in_terminal;
	int progress_seq;
	dap_build *build;    /* the go build under way, or NULL */
	dap_term *term;      /* runInTerminal under way, or NULL */
	cJSON *pending;      /* the launch request answered when the build
			      * ends (owned), or NULL */
	int terminating;     /* terminate sent SIGTERM; kill at term_at */
	long long term_at;   /* CLOCK_MONOTONIC ms */
	int detach;          /* disconnect said: leave the program running */
	int restarting;      /* the launch/attach under way is a restart */

	dap_handle *handles;
	size_t nhandles, caphandles;
	dap_handle_ext *hext; /* parallel to handles, caphandles long */

	/* sourceReference n names srcrefs[n-1], a binary path (owned);
	 * they live as long as the session. */
	char **srcrefs;
	size_t nsrcrefs, capsrcrefs;

	/* The last stepInTargets answer: target id i+1 is the callee body
	 * stepin_entries[i] (valid until the program resumes). */
	uint64_t *stepin_entries;
	size_t nstepin_entries;
	/* The last gotoTargets answer: target id i+1 jumps to goto_addrs[i]
	 * (valid until the program resumes). */
	uint64_t *goto_addrs;
	size_t ngoto_addrs;

	/* goroutineFilters (launch, or dlv config), NULL when none */
	grt_gfilter *gfilter;

	/* --accept-multiclient (dap_multiclient.c): the listening socket, and
	 * whether the connected client joined a kept session. */
	struct dap_listener *mc;
	/* The last `threads` answer (serialised body), for the same stop
	 * (grt_generation), goroutine and hide setting (handler/threads.c). */
	char *threads_body;
	uint64_t threads_gen, threads_cur;
	int threads_hide;
	int rejoin;
	/* The frame the user last looked at (scopes), until the next resume:
	 * a stepOut leaves it.  sel_frame counts as stackTrace does. */
	uint64_t sel_goid;
	int sel_frame;
	int exited_sent;

	/* Requests read while a request was being handled (a function call
	 * waits for the program and watches for 'pause'): handled next. */
	struct dap_inmsg {
		char *body;
		size_t len;
		int intr; /* pause, disconnect or terminate */
		int seq;       /* the request's seq */
		int cancel_of; /* a 'cancel' request: the requestId, else 0 */
	} *inq;
	size_t ninq, capinq;
	int intr_pending; /* such a request is queued, not yet handled */
};

/* ---- session (dap_session.c) ---- */
/* Ends whatever runs: a launch waiting for its build is answered, the
 * build is killed with its process group and its directory removed, the
 * program is killed (a launched one) or detached (attached, or after a
 * disconnect that said so).  Every way a session ends calls it; it can be
 * called more than once. */
void dap_session_end(dap_session *s);

/* ---- terminate (handler/disconnect.c) ---- */
/* Milliseconds until a terminated program still running is killed, -1
 * when no terminate is under way. */
int dap_terminate_timeout(const dap_session *s);
/* Kills the program when its grace time is over. */
void dap_terminate_tick(dap_session *s);

/* ---- messages ---- */
void dap_respond(dap_session *s, const cJSON *req, cJSON *body);
/* body: serialised JSON (an object), copied. */
void dap_respond_raw(dap_session *s, const cJSON *req, const char *body);
/* Drops the kept `threads` answer (filters or labels changed, target gone). */
void dap_threads_forget(dap_session *s);
void dap_respond_error(dap_session *s, const cJSON *req, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* dap_respond_error's id and showUser come from the table in
 * dap_errors.h by the request's command and the session's state; these
 * give an explicit kind (DAP_ERR_*; show_user < 0: the table's flag). */
void dap_respond_error_id(dap_session *s, const cJSON *req, int id,
			  int show_user, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void dap_respond_err_id(dap_session *s, const cJSON *req, int id,
			gd_err *err);
/* 1 when command would run or change the program (refused on a core). */
int dap_corefile_refuses(const char *command);
/* An error response carrying err's message; clears err. */
void dap_respond_err(dap_session *s, const cJSON *req, gd_err *err);
void dap_event(dap_session *s, const char *event, cJSON *body);
/* Reads what the client has sent and queues its requests (they are
 * handled when the current request is done).  1 when one of them asks to
 * interrupt (pause, disconnect, terminate), 0 if not, -1 when the client
 * is gone. */
int dap_session_take_input(dap_session *s);
void dap_output(dap_session *s, const char *category, const char *text,
		size_t len);
/* Program bytes as an output event: valid UTF-8 (see dap_utf8.h); a
 * character cut at the end is kept in carry for the next call (final:
 * the stream ended, send everything). */
void dap_output_program(dap_session *s, const char *category, char *carry,
			size_t *ncarry, const char *data, size_t len,
			int final);
/* After memory changed behind the views' back (writeMemory, setVariable,
 * setExpression): an 'invalidated' event for the variables, when
 * the client said it handles them. */
void dap_invalidated(dap_session *s);

/* ---- handles ---- */
int dap_handle_new(dap_session *s, const dap_handle *h);
const dap_handle *dap_handle_get(dap_session *s, int id);
/* Like dap_handle_new; the handle takes ownership of ext's contents. */
int dap_handle_new_ext(dap_session *s, const dap_handle *h,
		       const dap_handle_ext *ext);
/* NULL if id is not a handle. */
const dap_handle_ext *dap_handle_ext_get(dap_session *s, int id);
void dap_handles_reset(dap_session *s);

/* ---- launch (handler/launch.c) ---- */
/* The build for the pending launch ended: binary and tmpdir (owned, moved
 * to the target) when it worked, else err says why. */
void dap_launch_built(dap_session *s, char *binary, char *tmpdir,
		      gd_err *err);
/* attach with waitFor: 1 while the process is looked for. */
int dap_attach_waiting(const dap_session *s);
/* Looks for the waitFor process once; attaches and answers the attach
 * when it is there. */
void dap_attach_poll(dap_session *s);
/* Ends a build under way (or a waitFor) and fails the launch or attach
 * waiting for it with `why`. */
void dap_launch_abort(dap_session *s, const char *why);

/* The configuration is done (configurationDone, or a restart): the
 * program runs, or stops at its entry when stopOnEntry says so.
 * (handler/configuration_done.c) */
void dap_run_configured(dap_session *s);

/* The program is there (rc 0) or could not start (rc -1, err): answers
 * the pending launch.  (handler/launch.c) */
void dap_launch_done(dap_session *s, int rc, gd_err *err);

/* ---- console integratedTerminal / externalTerminal (dap_terminal.c) */
/* Asks the client to run the launcher in its terminal (runInTerminal);
 * the launch is answered when the launcher has connected and the program
 * is traced (dap_launch_done).  Takes binary (NULL: cfg.program) and
 * tmpdir. */
int dap_term_start(dap_session *s, char *binary, char *tmpdir, gd_err *err);
/* The listening socket to poll, -1 when none. */
int dap_term_fd(const dap_session *s);
/* The launcher connected (or tried to). */
void dap_term_poll(dap_session *s);
/* A response from the client to a request of ours. */
void dap_term_response(dap_session *s, const cJSON *resp);
/* Milliseconds until a launcher the client started is late, -1 for
 * none; dap_term_tick fails the launch when it is. */
int dap_term_timeout(const dap_session *s);
void dap_term_tick(dap_session *s);
/* Drops the runInTerminal state (socket, files). */
void dap_term_end(dap_session *s);

/* ---- messages to the client (dap_session.c) ---- */
/* Sends a reverse request; returns its seq. */
int dap_request(dap_session *s, const char *command, cJSON *args);

/* ---- noDebug (dap_plain.c) ---- */
/* Starts binary untraced (takes tmpdir). */
int dap_plain_start(dap_session *s, const char *binary, char *tmpdir,
		    gd_err *err);
/* The same for a program the terminal's launcher started (pid), which
 * reports its exit on status_fd (taken). */
int dap_plain_start_remote(dap_session *s, pid_t pid, int status_fd,
			   char *tmpdir, gd_err *err);
/* Output and exit of the untraced program (poll loop). */
void dap_plain_poll(dap_session *s, int final);
/* signal to the program's process group (SIGTERM / SIGKILL). */
void dap_plain_signal(dap_session *s, int sig);
/* Kills (unless detach) and frees. */
void dap_plain_end(dap_session *s, int detach);

/* ---- target (dap_target.c) ---- */
/* Starts the program: `built` (owned) is the binary the build made in
 * tmpdir (owned; removed at the end), or NULL for mode exec. */
int dap_target_launch(dap_session *s, char *built, char *tmpdir,
		      gd_err *err);
/* The same for a program a runInTerminal launcher (pid, waiting on
 * gate_fd) is about to exec. */
int dap_target_launch_seized(dap_session *s, char *built, char *tmpdir,
			     pid_t pid, int gate_fd, gd_err *err);
int dap_target_attach(dap_session *s, gd_err *err);
/* Ends the debugger's target (killed when launched, detached when
 * attached or tgt->detach; kill: killed in any case) and removes what the
 * adapter made for it. */
void dap_target_end(dap_session *s, int kill);
/* Handles die, then the program runs (or runs its armed step). */
int dap_target_resume(dap_session *s, gd_err *err);
/* The program is not running (stopped, or waiting for configurationDone):
 * if it died meanwhile (killed by someone else), says exited and
 * terminated now.  Called on SIGCHLD and before every request. */
void dap_target_check_gone(dap_session *s);
void dap_target_drain_output(dap_session *s, int final);
/* The debugger's events as DAP events (the dbg_event_fn of s->dbg). */
void dap_target_on_event(void *ctx, const dbg_event *ev);

/* ---- breakpoints (dap_bp.c) ---- */
/* A DAP Breakpoint for v. */
cJSON *dap_bp_json(dap_session *s, const dbg_bp_view *v);
/* Sends a 'breakpoint' event (reason "changed") for v. */
void dap_bp_event(dap_session *s, const dbg_bp_view *v);
/* Sets the breakpoints of kind (lines: of file `source`) and answers req
 * with their state. */
void dap_bp_set(dap_session *s, const cJSON *req, dbg_bp_kind kind,
		const char *source, const dbg_bp_spec *specs, size_t n);
/* Client path <-> binary path through substitutePath (heap; NULL when out
 * of memory). */
char *dap_path_to_binary(dap_session *s, const char *client_path);
char *dap_path_to_client(dap_session *s, const char *binary_path);

/* ---- cancel (dap_session.c) ---- */
/* 1 when the client asked to cancel request req (a 'cancel' with its seq
 * arrived): reads what input is waiting, without blocking.  Long handlers
 * call it now and then and answer "cancelled". */
int dap_cancel_requested(dap_session *s, const cJSON *req);

/* ---- console commands (dap_console.c) ---- */
/* When expr is a console command ("dlv help", "dlv config ...", "dlv
 * sources", "dlv goroutines"): answers req and returns 1; else 0. */
int dap_console(dap_session *s, const cJSON *req, const char *expr);

/* ---- sources (dap_sources.c) ---- */
/* A DAP Source for a file the binary names: name and client path, plus a
 * sourceReference when the file is not readable here (the source
 * request then finds its text). */
cJSON *dap_source_json(dap_session *s, const char *binary_path);
/* The binary path of sourceReference ref, NULL if none (owned by s). */
const char *dap_source_ref_path(dap_session *s, int ref);
void dap_sources_free(dap_session *s);

/* ---- variables (dap_vars.c) ---- */
/* A DAP Variable for value v (ownership of v moves to the handle when it
 * is expandable; v is freed otherwise).  evalname may be NULL; lim NULL
 * means the default limits (grt_fmtlim_of(dbg_rt(s->dbg), NULL)); its children keep lim. */
cJSON *dap_var_json(dap_session *s, const char *name, const char *evalname,
		    struct grt_value *v, const dap_handle *frame,
		    const grt_fmtlim *lim);
/* The limits a value handle's children show with. */
grt_fmtlim dap_handle_limits(dap_session *s, const dap_handle_ext *x);
/* Frees what a handle owns (called when handles die). */
void dap_handle_release(dap_handle_ext *h);

/* The launch configuration's callTimeout, or the default (seconds). */
static inline int call_timeout(const dap_session *s)
{
	return s->cfg.call_timeout > 0 ? s->cfg.call_timeout
				       : DAP_ARGS_DEFAULT_CALL_TIMEOUT;
}

/* ---- requests (dap_handlers.c; the handlers: handler/handlers.h) ---- */
typedef struct dap_handler dap_handler;
/* The request named command, NULL when godap has none. */
const dap_handler *dap_handler_find(const char *command);
/* Answers req: h's arguments parsed from args, the state it needs
 * checked, then its handler. */
void dap_handler_run(dap_session *s, const dap_handler *h, const cJSON *req,
		     const cJSON *args);
/* The DAP_ERR_* of h's failures (dap_errors.h): DAP_ERR_RUNNING for a
 * request about a stopped program while it runs. */
int dap_handler_err_id(const dap_handler *h, int running);

#endif
