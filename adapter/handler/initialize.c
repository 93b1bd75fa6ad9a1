#include "handlers.h"

/* Capabilities list only what works in this build. */
void dap_h_initialize(dap_session *s, const cJSON *req,
		      dap_args_initialize *a)
{
	s->lines_start_at1 = a->lines_start_at1;
	s->client_progress = a->supports_progress_reporting == 1;
	s->client_run_in_terminal = a->supports_run_in_terminal_request == 1;
	s->client_invalidated = a->supports_invalidated_event;
	s->columns_start_at1 = a->columns_start_at1;
	cJSON *b = cJSON_CreateObject();
	cJSON_AddBoolToObject(b, "supportsConfigurationDoneRequest", 1);
	cJSON_AddBoolToObject(b, "supportTerminateDebuggee", 1);
	cJSON_AddBoolToObject(b, "supportsTerminateRequest", 1);
	cJSON_AddBoolToObject(b, "supportsRestartRequest", 1);
	cJSON_AddBoolToObject(b, "supportsSetVariable", 1);
	cJSON_AddBoolToObject(b, "supportsSetExpression", 1);
	cJSON_AddBoolToObject(b, "supportsEvaluateForHovers", 1);
	/* evaluate with context "clipboard" copies the whole value (1 MiB) */
	cJSON_AddBoolToObject(b, "supportsClipboardContext", 1);
	cJSON_AddBoolToObject(b, "supportsExceptionInfoRequest", 1);
	cJSON_AddBoolToObject(b, "supportsFunctionBreakpoints", 1);
	cJSON_AddBoolToObject(b, "supportsConditionalBreakpoints", 1);
	cJSON_AddBoolToObject(b, "supportsHitConditionalBreakpoints", 1);
	cJSON_AddBoolToObject(b, "supportsLogPoints", 1);
	cJSON_AddBoolToObject(b, "supportsInstructionBreakpoints", 1);
	cJSON_AddBoolToObject(b, "supportsBreakpointLocationsRequest", 1);
	cJSON_AddBoolToObject(b, "supportsSteppingGranularity", 1);
	cJSON_AddBoolToObject(b, "supportsDataBreakpoints", 1);
	cJSON_AddBoolToObject(b, "supportsDisassembleRequest", 1);
	cJSON_AddBoolToObject(b, "supportsReadMemoryRequest", 1);
	cJSON_AddBoolToObject(b, "supportsWriteMemoryRequest", 1);
	cJSON_AddBoolToObject(b, "supportsLoadedSourcesRequest", 1);
	cJSON_AddBoolToObject(b, "supportsModulesRequest", 1);
	cJSON_AddBoolToObject(b, "supportsCompletionsRequest", 1);
	cJSON_AddBoolToObject(b, "supportsStepInTargetsRequest", 1);
	cJSON_AddBoolToObject(b, "supportsGotoTargetsRequest", 1);
	cJSON_AddBoolToObject(b, "supportsCancelRequest", 1);
	cJSON *filters = cJSON_AddArrayToObject(b, "exceptionBreakpointFilters");
	static const char *const f[][2] = {
		{"unrecovered-panic", "Unrecovered panics"},
		{"runtime-fatal-throw", "Runtime fatal errors"},
	};
	for (size_t i = 0; i < 2; i++) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "filter", f[i][0]);
		cJSON_AddStringToObject(e, "label", f[i][1]);
		cJSON_AddBoolToObject(e, "default", 1);
		cJSON_AddItemToArray(filters, e);
	}
	dap_respond(s, req, b);
}
