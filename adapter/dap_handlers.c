/* command name -> handler.  One handler per request, each in handler/. */
#include "dap_internal.h"

#include <string.h>

void dap_h_initialize(dap_session *, const cJSON *, const cJSON *);
void dap_h_launch(dap_session *, const cJSON *, const cJSON *);
void dap_h_attach(dap_session *, const cJSON *, const cJSON *);
void dap_h_configuration_done(dap_session *, const cJSON *, const cJSON *);
void dap_h_set_breakpoints(dap_session *, const cJSON *, const cJSON *);
void dap_h_set_exception_breakpoints(dap_session *, const cJSON *, const cJSON *);
void dap_h_threads(dap_session *, const cJSON *, const cJSON *);
void dap_h_stack_trace(dap_session *, const cJSON *, const cJSON *);
void dap_h_scopes(dap_session *, const cJSON *, const cJSON *);
void dap_h_variables(dap_session *, const cJSON *, const cJSON *);
void dap_h_evaluate(dap_session *, const cJSON *, const cJSON *);
void dap_h_set_variable(dap_session *, const cJSON *, const cJSON *);
void dap_h_set_expression(dap_session *, const cJSON *, const cJSON *);
void dap_h_continue(dap_session *, const cJSON *, const cJSON *);
void dap_h_pause(dap_session *, const cJSON *, const cJSON *);
void dap_h_disconnect(dap_session *, const cJSON *, const cJSON *);
void dap_h_terminate(dap_session *, const cJSON *, const cJSON *);
void dap_h_restart(dap_session *, const cJSON *, const cJSON *);
void dap_h_exception_info(dap_session *, const cJSON *, const cJSON *);
void dap_h_set_function_breakpoints(dap_session *, const cJSON *, const cJSON *);
void dap_h_set_instruction_breakpoints(dap_session *, const cJSON *, const cJSON *);
void dap_h_breakpoint_locations(dap_session *, const cJSON *, const cJSON *);
void dap_h_data_breakpoint_info(dap_session *, const cJSON *, const cJSON *);
void dap_h_set_data_breakpoints(dap_session *, const cJSON *, const cJSON *);
void dap_h_next(dap_session *, const cJSON *, const cJSON *);
void dap_h_step_in(dap_session *, const cJSON *, const cJSON *);
void dap_h_step_out(dap_session *, const cJSON *, const cJSON *);
void dap_h_disassemble(dap_session *, const cJSON *, const cJSON *);
void dap_h_read_memory(dap_session *, const cJSON *, const cJSON *);
void dap_h_write_memory(dap_session *, const cJSON *, const cJSON *);
void dap_h_loaded_sources(dap_session *, const cJSON *, const cJSON *);
void dap_h_source(dap_session *, const cJSON *, const cJSON *);
void dap_h_modules(dap_session *, const cJSON *, const cJSON *);
void dap_h_completions(dap_session *, const cJSON *, const cJSON *);
void dap_h_step_in_targets(dap_session *, const cJSON *, const cJSON *);
void dap_h_goto_targets(dap_session *, const cJSON *, const cJSON *);
void dap_h_goto(dap_session *, const cJSON *, const cJSON *);
void dap_h_cancel(dap_session *, const cJSON *, const cJSON *);

static const struct {
	const char *command;
	dap_handler_fn fn;
} handlers[] = {
	{"initialize", dap_h_initialize},
	{"launch", dap_h_launch},
	{"attach", dap_h_attach},
	{"configurationDone", dap_h_configuration_done},
	{"setBreakpoints", dap_h_set_breakpoints},
	{"setExceptionBreakpoints", dap_h_set_exception_breakpoints},
	{"threads", dap_h_threads},
	{"stackTrace", dap_h_stack_trace},
	{"scopes", dap_h_scopes},
	{"variables", dap_h_variables},
	{"evaluate", dap_h_evaluate},
	{"setVariable", dap_h_set_variable},
	{"setExpression", dap_h_set_expression},
	{"continue", dap_h_continue},
	{"pause", dap_h_pause},
	{"exceptionInfo", dap_h_exception_info},
	{"setFunctionBreakpoints", dap_h_set_function_breakpoints},
	{"setInstructionBreakpoints", dap_h_set_instruction_breakpoints},
	{"breakpointLocations", dap_h_breakpoint_locations},
	{"dataBreakpointInfo", dap_h_data_breakpoint_info},
	{"setDataBreakpoints", dap_h_set_data_breakpoints},
	{"next", dap_h_next},
	{"stepIn", dap_h_step_in},
	{"stepOut", dap_h_step_out},
	{"disassemble", dap_h_disassemble},
	{"readMemory", dap_h_read_memory},
	{"writeMemory", dap_h_write_memory},
	{"loadedSources", dap_h_loaded_sources},
	{"source", dap_h_source},
	{"modules", dap_h_modules},
	{"completions", dap_h_completions},
	{"stepInTargets", dap_h_step_in_targets},
	{"gotoTargets", dap_h_goto_targets},
	{"goto", dap_h_goto},
	{"cancel", dap_h_cancel},
	{"disconnect", dap_h_disconnect},
	{"terminate", dap_h_terminate},
	{"restart", dap_h_restart},
};

dap_handler_fn dap_handler_find(const char *command)
{
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (strcmp(handlers[i].command, command) == 0)
			return handlers[i].fn;
	return NULL;
}
