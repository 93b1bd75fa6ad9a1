/* The error-id table (dap_errors.h). */
#include "dap_errors.h"
#include "dap_internal.h"

#include <string.h>

static const struct {
	const char *command;
	int id;
	int needs_stop; /* fails with DAP_ERR_RUNNING while the program runs */
} table[] = {
	{"initialize", DAP_ERR_INITIALIZE, 0},
	{"launch", DAP_ERR_LAUNCH, 0},
	{"restart", DAP_ERR_LAUNCH, 0},
	{"attach", DAP_ERR_ATTACH, 0},
	{"setBreakpoints", DAP_ERR_BREAKPOINTS, 0},
	{"setFunctionBreakpoints", DAP_ERR_BREAKPOINTS, 0},
	{"setInstructionBreakpoints", DAP_ERR_BREAKPOINTS, 0},
	{"setExceptionBreakpoints", DAP_ERR_BREAKPOINTS, 0},
	{"breakpointLocations", DAP_ERR_BREAKPOINTS, 0},
	{"configurationDone", DAP_ERR_LAUNCH, 0},
	{"threads", DAP_ERR_THREADS, 0},
	{"stackTrace", DAP_ERR_STACK, 1},
	{"scopes", DAP_ERR_SCOPES, 1},
	{"variables", DAP_ERR_VARIABLES, 1},
	{"evaluate", DAP_ERR_EVALUATE, 1},
	{"pause", DAP_ERR_PAUSE, 0},
	{"exceptionInfo", DAP_ERR_EXCEPTION_INFO, 1},
	{"setVariable", DAP_ERR_SET_VARIABLE, 1},
	{"setExpression", DAP_ERR_SET_VARIABLE, 1},
	{"disassemble", DAP_ERR_DISASSEMBLE, 0},
	{"readMemory", DAP_ERR_READ_MEMORY, 1},
	{"writeMemory", DAP_ERR_WRITE_MEMORY, 1},
	{"dataBreakpointInfo", DAP_ERR_DATA_BREAKPOINT, 1},
	{"setDataBreakpoints", DAP_ERR_DATA_BREAKPOINT, 0},
	{"continue", DAP_ERR_RUN, 1},
	{"next", DAP_ERR_RUN, 1},
	{"stepIn", DAP_ERR_RUN, 1},
	{"stepOut", DAP_ERR_RUN, 1},
	{"stepBack", DAP_ERR_RUN, 1},
	{"reverseContinue", DAP_ERR_RUN, 1},
	{"stepInTargets", DAP_ERR_RUN, 1},
	{"goto", DAP_ERR_RUN, 1},
	{"gotoTargets", DAP_ERR_RUN, 1},
	{"restartFrame", DAP_ERR_RUN, 1},
	{"completions", DAP_ERR_COMPLETIONS, 1},
	{"source", DAP_ERR_SOURCE, 0},
	{"loadedSources", DAP_ERR_SOURCE, 0},
	{"modules", DAP_ERR_SOURCE, 0},
	{"disconnect", DAP_ERR_DISCONNECT, 0},
	{"terminate", DAP_ERR_DISCONNECT, 0},
};

int dap_err_shows(int id)
{
	return id == DAP_ERR_LAUNCH || id == DAP_ERR_ATTACH ||
	       id == DAP_ERR_INITIALIZE || id == DAP_ERR_BUILD;
}

int dap_err_for(const dap_session *s, const char *command, int *show_user)
{
	int id = DAP_ERR_UNSUPPORTED;
	if (command) {
		id = DAP_ERR_INTERNAL;
		for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
			if (strcmp(table[i].command, command) != 0)
				continue;
			id = table[i].id;
			if (table[i].needs_stop && s->state == DAP_RUNNING)
				id = DAP_ERR_RUNNING;
			break;
		}
	}
	*show_user = dap_err_shows(id);
	return id;
}
