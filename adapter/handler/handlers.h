/* The request handlers: one per DAP request, each in a file of handler/
 * named for it, registered in the table of dap_handlers.c.
 *
 * The table does every request's prologue, so handlers do not repeat it:
 *  1. it parses the request's "arguments" into the handler's typed struct
 *     (dap_args.h) and answers a parse error itself;
 *  2. it checks the state the request needs (a stopped program, a loaded
 *     one) and answers "<command>: the program is not stopped" / "...: no
 *     program is loaded" itself;
 *  3. it calls the handler with the arguments, and frees them after the
 *     handler returns.
 * Ownership: the arguments `a` belong to the table.  A handler reads them
 * and may take a heap member to keep (it then sets the member to NULL, or
 * for a whole struct, resets it to the parser's defaults); it never frees
 * them.  Every handler answers req exactly once (or leaves it pending, as
 * launch does while it builds). */
#ifndef DAP_HANDLERS_H
#define DAP_HANDLERS_H

#include "../dap_internal.h"

/* restart's arguments: a whole new launch or attach configuration in
 * 'arguments' (given = 1), else given = 0 and cfg holds nothing. */
typedef struct dap_args_restart {
	int given;
	dap_args_launch cfg;
} dap_args_restart;

/* ---- session (initialize.c, launch.c, configuration_done.c,
 * disconnect.c, cancel.c) ---- */
void dap_h_initialize(dap_session *s, const cJSON *req,
		      dap_args_initialize *a);
void dap_h_launch(dap_session *s, const cJSON *req, dap_args_launch *a);
void dap_h_attach(dap_session *s, const cJSON *req, dap_args_launch *a);
void dap_h_restart(dap_session *s, const cJSON *req, dap_args_restart *a);
void dap_h_configuration_done(dap_session *s, const cJSON *req);
/* disconnect runs even when its arguments do not parse (the defaults). */
void dap_h_disconnect(dap_session *s, const cJSON *req,
		      dap_args_disconnect *a);
void dap_h_terminate(dap_session *s, const cJSON *req);
void dap_h_cancel(dap_session *s, const cJSON *req, dap_args_cancel *a);

/* ---- breakpoints (set_*.c, breakpoint_locations.c,
 * data_breakpoints.c) ---- */
void dap_h_set_breakpoints(dap_session *s, const cJSON *req,
			   dap_args_set_breakpoints *a);
void dap_h_set_function_breakpoints(dap_session *s, const cJSON *req,
				    dap_args_set_function_breakpoints *a);
void dap_h_set_instruction_breakpoints(
	dap_session *s, const cJSON *req,
	dap_args_set_instruction_breakpoints *a);
void dap_h_set_exception_breakpoints(dap_session *s, const cJSON *req,
				     dap_args_set_exception_breakpoints *a);
void dap_h_breakpoint_locations(dap_session *s, const cJSON *req,
				dap_args_breakpoint_locations *a);
void dap_h_data_breakpoint_info(dap_session *s, const cJSON *req,
				dap_args_data_breakpoint_info *a);
void dap_h_set_data_breakpoints(dap_session *s, const cJSON *req,
				dap_args_set_data_breakpoints *a);

/* ---- run control (run_control.c, step.c, goto.c,
 * step_in_targets.c) ---- */
void dap_h_continue(dap_session *s, const cJSON *req, dap_args_step *a);
void dap_h_pause(dap_session *s, const cJSON *req, dap_args_step *a);
/* needs a stopped program (checked by the table) */
void dap_h_next(dap_session *s, const cJSON *req, dap_args_step *a);
void dap_h_step_in(dap_session *s, const cJSON *req, dap_args_step *a);
void dap_h_step_out(dap_session *s, const cJSON *req, dap_args_step *a);
void dap_h_step_in_targets(dap_session *s, const cJSON *req,
			   dap_args_step_in_targets *a);
void dap_h_goto_targets(dap_session *s, const cJSON *req,
			dap_args_goto_targets *a);
void dap_h_goto(dap_session *s, const cJSON *req, dap_args_goto *a);

/* ---- the stopped program (threads.c, stack_trace.c, scopes.c,
 * variables.c, evaluate.c, set_variable.c, exception_info.c,
 * completions.c) ---- */
void dap_h_threads(dap_session *s, const cJSON *req);
/* stackTrace, scopes, variables, setVariable, setExpression: need a
 * stopped program (checked by the table). */
void dap_h_stack_trace(dap_session *s, const cJSON *req,
		       dap_args_stack_trace *a);
void dap_h_scopes(dap_session *s, const cJSON *req, dap_args_scopes *a);
void dap_h_variables(dap_session *s, const cJSON *req,
		     dap_args_variables *a);
/* evaluate also runs console commands ("dlv help"), in any state. */
void dap_h_evaluate(dap_session *s, const cJSON *req, dap_args_evaluate *a);
void dap_h_set_variable(dap_session *s, const cJSON *req,
			dap_args_set_variable *a);
void dap_h_set_expression(dap_session *s, const cJSON *req,
			  dap_args_set_expression *a);
void dap_h_exception_info(dap_session *s, const cJSON *req,
			  dap_args_exception_info *a);
void dap_h_completions(dap_session *s, const cJSON *req,
		       dap_args_completions *a);

/* ---- memory and code (disassemble.c, read_memory.c, write_memory.c):
 * need a stopped program (checked by the table) ---- */
void dap_h_disassemble(dap_session *s, const cJSON *req,
		       dap_args_disassemble *a);
void dap_h_read_memory(dap_session *s, const cJSON *req,
		       dap_args_read_memory *a);
void dap_h_write_memory(dap_session *s, const cJSON *req,
			dap_args_write_memory *a);

/* ---- sources and modules (loaded_sources.c, source.c, modules.c) ---- */
/* loadedSources, modules: need a loaded program (checked by the table) */
void dap_h_loaded_sources(dap_session *s, const cJSON *req);
void dap_h_modules(dap_session *s, const cJSON *req);
void dap_h_source(dap_session *s, const cJSON *req, dap_args_source *a);

#endif
