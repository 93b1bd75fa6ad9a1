/* command name -> handler, and the prologue every request shares (see
 * handler/handlers.h): parse the arguments, answer a parse error, check
 * the state the request needs, run the handler, free the arguments. */
#include "dap_internal.h"
#include "dap_multiclient.h"
#include "handler/handlers.h"

#include <stdlib.h>
#include <string.h>

enum {
	NEEDS_STOP = 1,   /* a stopped program: "<cmd>: the program is not
			   * stopped" */
	NEEDS_TARGET = 2, /* a loaded program: "<cmd>: no program is loaded" */
	LENIENT = 4,      /* arguments that do not parse: run with the
			   * defaults (disconnect must always end) */
	BUSY = 8,         /* fails with DAP_ERR_RUNNING while the program
			   * runs (it is about a stopped program) */
};

struct dap_handler {
	const char *command;
	/* The arguments: parsed by `args`, or else by parse (0, or -1 with
	 * err set and nothing left in *out) and freed by free, in a struct
	 * of `size` bytes; neither: the request takes no arguments. */
	const dap_args_type *args;
	int (*parse)(const dap_session *s, const cJSON *args, void *out,
		     gd_err *err);
	void (*free)(void *a);
	size_t size;
	/* Before the arguments are read: 1 when it answered req. */
	int (*early)(dap_session *s, const cJSON *req);
	void (*run)(dap_session *s, const cJSON *req, void *a);
	int needs;
	int err_id; /* DAP_ERR_* of its failures (dap_errors.h) */
};

/* The requests: TYPED(command, handler, argument struct, early, needs,
 * error id) for dap_h_<handler>(s, req, struct *) with the arguments
 * parsed by dap_args_<handler>_type; NONE(command, handler, early, needs,
 * error id) for dap_h_<handler>(s, req) with no arguments.  restart is
 * apart (how its arguments parse depends on the session). */
#define REQUESTS(TYPED, NONE)                                                  \
	TYPED("initialize", initialize, dap_args_initialize,                   \
	      NULL, 0, DAP_ERR_INITIALIZE)                                     \
	TYPED("launch", launch, dap_args_launch, busy, 0, DAP_ERR_LAUNCH)      \
	TYPED("attach", attach, dap_args_launch,                               \
	      attach_early, 0, DAP_ERR_ATTACH)                                 \
	NONE("configurationDone", configuration_done, NULL, 0, DAP_ERR_LAUNCH) \
	TYPED("setBreakpoints", set_breakpoints, dap_args_set_breakpoints,     \
	      NULL, 0, DAP_ERR_BREAKPOINTS)                                    \
	TYPED("setExceptionBreakpoints", set_exception_breakpoints,            \
	      dap_args_set_exception_breakpoints,                              \
	      NULL, 0, DAP_ERR_BREAKPOINTS)                                    \
	NONE("threads", threads, NULL, 0, DAP_ERR_THREADS)                     \
	TYPED("stackTrace", stack_trace, dap_args_stack_trace,                 \
	      NULL, NEEDS_STOP | BUSY, DAP_ERR_STACK)                          \
	TYPED("scopes", scopes, dap_args_scopes,                               \
	      NULL, NEEDS_STOP | BUSY, DAP_ERR_SCOPES)                         \
	TYPED("variables", variables, dap_args_variables,                      \
	      NULL, NEEDS_STOP | BUSY, DAP_ERR_VARIABLES)                      \
	TYPED("evaluate", evaluate, dap_args_evaluate,                         \
	      NULL, BUSY, DAP_ERR_EVALUATE)                                    \
	TYPED("setVariable", set_variable, dap_args_set_variable,              \
	      NULL, NEEDS_STOP | BUSY, DAP_ERR_SET_VARIABLE)                   \
	TYPED("setExpression", set_expression, dap_args_set_expression,        \
	      NULL, NEEDS_STOP | BUSY, DAP_ERR_SET_VARIABLE)                   \
	TYPED("continue", continue, dap_args_step, NULL, BUSY, DAP_ERR_RUN)    \
	TYPED("pause", pause, dap_args_step, NULL, 0, DAP_ERR_PAUSE)           \
	TYPED("exceptionInfo", exception_info, dap_args_exception_info,        \
	      NULL, BUSY, DAP_ERR_EXCEPTION_INFO)                              \
	TYPED("setFunctionBreakpoints", set_function_breakpoints,              \
	      dap_args_set_function_breakpoints,                               \
	      NULL, 0, DAP_ERR_BREAKPOINTS)                                    \
	TYPED("setInstructionBreakpoints", set_instruction_breakpoints,        \
	      dap_args_set_instruction_breakpoints,                            \
	      NULL, 0, DAP_ERR_BREAKPOINTS)                                    \
	TYPED("breakpointLocations", breakpoint_locations,                     \
	      dap_args_breakpoint_locations,                                   \
	      NULL, 0, DAP_ERR_BREAKPOINTS)                                    \
	TYPED("dataBreakpointInfo", data_breakpoint_info,                      \
	      dap_args_data_breakpoint_info,                                   \
	      NULL, BUSY, DAP_ERR_DATA_BREAKPOINT)                             \
	TYPED("setDataBreakpoints", set_data_breakpoints,                      \
	      dap_args_set_data_breakpoints,                                   \
	      NULL, NEEDS_TARGET, DAP_ERR_DATA_BREAKPOINT)                     \
	TYPED("next", next, dap_args_step,                                     \
	      NULL, NEEDS_STOP | BUSY, DAP_ERR_RUN)                            \
	TYPED("stepIn", step_in, dap_args_step,                                \
	      NULL, NEEDS_STOP | BUSY, DAP_ERR_RUN)                            \
	TYPED("stepOut", step_out, dap_args_step,                              \
	      NULL, NEEDS_STOP | BUSY, DAP_ERR_RUN)                            \
	TYPED("disassemble", disassemble, dap_args_disassemble,                \
	      NULL, NEEDS_STOP, DAP_ERR_DISASSEMBLE)                           \
	TYPED("readMemory", read_memory, dap_args_read_memory,                 \
	      NULL, NEEDS_STOP | BUSY, DAP_ERR_READ_MEMORY)                    \
	TYPED("writeMemory", write_memory, dap_args_write_memory,              \
	      NULL, NEEDS_STOP | BUSY, DAP_ERR_WRITE_MEMORY)                   \
	NONE("loadedSources", loaded_sources,                                  \
	      NULL, NEEDS_TARGET, DAP_ERR_SOURCE)                              \
	TYPED("source", source, dap_args_source, NULL, 0, DAP_ERR_SOURCE)      \
	NONE("modules", modules, NULL, NEEDS_TARGET, DAP_ERR_SOURCE)           \
	TYPED("completions", completions, dap_args_completions,                \
	      NULL, BUSY, DAP_ERR_COMPLETIONS)                                 \
	TYPED("stepInTargets", step_in_targets, dap_args_step_in_targets,      \
	      NULL, NEEDS_STOP | BUSY, DAP_ERR_RUN)                            \
	TYPED("gotoTargets", goto_targets, dap_args_goto_targets,              \
	      NULL, NEEDS_STOP | BUSY, DAP_ERR_RUN)                            \
	TYPED("goto", goto, dap_args_goto,                                     \
	      NULL, NEEDS_STOP | BUSY, DAP_ERR_RUN)                            \
	TYPED("cancel", cancel, dap_args_cancel, NULL, 0, DAP_ERR_INTERNAL)    \
	TYPED("disconnect", disconnect, dap_args_disconnect,                   \
	      NULL, LENIENT, DAP_ERR_DISCONNECT)                               \
	NONE("terminate", terminate, NULL, 0, DAP_ERR_DISCONNECT)

/* ---- what runs before the arguments are read ---- */

/* launch and attach: one program per session. */
static int busy(dap_session *s, const cJSON *req)
{
	if (s->state == DAP_IDLE && !s->pending)
		return 0;
	dap_respond_error(s, req, "a program is already being debugged");
	return 1;
}

/* attach: a client joining a kept session (--accept-multiclient) takes
 * the program as it is, whatever its arguments say. */
static int attach_early(dap_session *s, const cJSON *req)
{
	return dap_mc_attach(s, req) || busy(s, req);
}

/* ---- the handlers' entry points, made from REQUESTS ---- */

#define MAKE_TYPED(cmd, name, T, early_fn, needs_v, id)                          \
	static void run_##name(dap_session *s, const cJSON *req, void *a)      \
	{                                                                      \
		dap_h_##name(s, req, (T *)a);                                  \
	}
#define MAKE_NONE(cmd, name, early_fn, needs_v, id)                            \
	static void run_##name(dap_session *s, const cJSON *req, void *a)      \
	{                                                                      \
		(void)a;                                                       \
		dap_h_##name(s, req);                                          \
	}
REQUESTS(MAKE_TYPED, MAKE_NONE)

/* restart: 'arguments' is a launch or attach configuration, as the
 * session was started. */
static int parse_restart(const dap_session *s, const cJSON *args, void *out,
			 gd_err *err)
{
	dap_args_restart *a = out;
	return dap_args_restart_parse(args, s->cfg.attach, &a->cfg, &a->given,
				      err);
}

static void free_restart(void *p)
{
	dap_args_restart *a = p;
	if (a->given)
		dap_args_launch_free(&a->cfg);
	a->given = 0;
}

static void run_restart(dap_session *s, const cJSON *req, void *a)
{
	dap_h_restart(s, req, a);
}

static int restart_early(dap_session *s, const cJSON *req)
{
	if (s->have_cfg)
		return 0;
	dap_respond_error(s, req, "restart: nothing was launched or attached "
			  "yet");
	return 1;
}

#define ENTRY_TYPED(cmd, name, T, early_fn, needs_v, id)                       \
	{cmd, &dap_args_##name##_type, NULL, NULL, 0, early_fn, run_##name,    \
	 needs_v, id},
#define ENTRY_NONE(cmd, name, early_fn, needs_v, id)                           \
	{cmd, NULL, NULL, NULL, 0, early_fn, run_##name, needs_v, id},

static const dap_handler handlers[] = {
	REQUESTS(ENTRY_TYPED, ENTRY_NONE)
	{"restart", NULL, parse_restart, free_restart, sizeof(dap_args_restart),
	 restart_early, run_restart, 0, DAP_ERR_LAUNCH},
};

const dap_handler *dap_handler_find(const char *command)
{
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (strcmp(handlers[i].command, command) == 0)
			return &handlers[i];
	return NULL;
}

/* The state r needs, else the answer saying why not (1). */
static int refused(dap_session *s, const dap_handler *h, const cJSON *req)
{
	if ((h->needs & NEEDS_STOP) &&
	    (s->state != DAP_STOPPED || !dbg_has_target(s->dbg))) {
		dap_respond_error(s, req, "%s: the program is not stopped",
				  h->command);
		return 1;
	}
	if ((h->needs & NEEDS_TARGET) && !dbg_has_target(s->dbg)) {
		dap_respond_error(s, req, "%s: no program is loaded", h->command);
		return 1;
	}
	return 0;
}

void dap_handler_run(dap_session *s, const dap_handler *h, const cJSON *req,
		     const cJSON *args)
{
	if (h->early && h->early(s, req))
		return;
	size_t size = h->args ? dap_args_size(h->args) : h->size;
	/* Zeroed: what a parser that failed leaves is harmless to free. */
	void *a = size ? calloc(1, size) : NULL;
	if (size && !a) {
		dap_respond_error(s, req, "%s: out of memory", h->command);
		return;
	}
	gd_err err = GD_ERR_INIT;
	int rc = h->args    ? dap_args_parse(h->args, args, a, &err)
		 : h->parse ? h->parse(s, args, a, &err)
			    : dap_args_none_parse(h->command, args, &err);
	if (rc < 0) {
		if (!(h->needs & LENIENT)) {
			dap_respond_err(s, req, &err);
			free(a);
			return;
		}
		/* The parser left the defaults. */
		gd_log_info(s->log, "%s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
	if (!refused(s, h, req))
		h->run(s, req, a);
	if (h->args)
		dap_args_free(h->args, a);
	else if (h->free)
		h->free(a);
	free(a);
}

int dap_handler_err_id(const dap_handler *h, int running)
{
	return running && (h->needs & BUSY) ? DAP_ERR_RUNNING : h->err_id;
}
