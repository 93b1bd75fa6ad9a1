/* libFuzzer harness: every request-argument parser of adapter/dap_args.h.
 * The input is the request's "arguments" as JSON text (anything that does
 * not parse is also fed to the env file parser and, as a JSON string, to
 * the parsers).  Each parser gets the same object; success or failure,
 * nothing may leak, crash or read out of bounds (ASan/UBSan). */
#include "dap_args.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RUN(T, fn)                                                         \
	do {                                                               \
		dap_args_##T a;                                            \
		memset(&a, 0xa5, sizeof(a)); /* parsers must set it all */ \
		gd_err err = GD_ERR_INIT;                                  \
		if (dap_args_##fn##_parse(args, &a, &err) == 0)            \
			dap_args_##T##_free(&a);                           \
		gd_err_clear(&err);                                        \
	} while (0)

static void all(const cJSON *args)
{
	gd_err err = GD_ERR_INIT;
	RUN(initialize, initialize);
	RUN(launch, launch);
	RUN(launch, attach);
	for (int attach = 0; attach < 2; attach++) {
		dap_args_launch a;
		int given = 0;
		if (dap_args_restart_parse(args, attach, &a, &given, &err) == 0 &&
		    given)
			dap_args_launch_free(&a);
		gd_err_clear(&err);
	}
	RUN(set_breakpoints, set_breakpoints);
	RUN(set_function_breakpoints, set_function_breakpoints);
	RUN(set_exception_breakpoints, set_exception_breakpoints);
	dap_args_none_parse("threads", args, &err);
	gd_err_clear(&err);
	dap_args_none_parse("configurationDone", args, &err);
	gd_err_clear(&err);
	RUN(stack_trace, stack_trace);
	RUN(scopes, scopes);
	RUN(variables, variables);
	RUN(step, continue);
	RUN(step, next);
	RUN(step, step_in);
	RUN(step, step_out);
	RUN(step, pause);
	RUN(evaluate, evaluate);
	RUN(set_variable, set_variable);
	RUN(set_expression, set_expression);
	RUN(disconnect, disconnect);
	RUN(source, source);
	RUN(exception_info, exception_info);
	RUN(set_instruction_breakpoints, set_instruction_breakpoints);
	RUN(breakpoint_locations, breakpoint_locations);
	RUN(disassemble, disassemble);
	RUN(read_memory, read_memory);
	RUN(write_memory, write_memory);
	RUN(completions, completions);
	{
		dap_args_step_in_targets a;
		dap_args_step_in_targets_parse(args, &a, &err);
		gd_err_clear(&err);
	}
	RUN(goto_targets, goto_targets);
	{
		dap_args_goto a;
		dap_args_goto_parse(args, &a, &err);
		gd_err_clear(&err);
	}
	RUN(cancel, cancel);
	RUN(data_breakpoint_info, data_breakpoint_info);
	RUN(set_data_breakpoints, set_data_breakpoints);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *args = cJSON_ParseWithLength((const char *)data, size);
	if (args) {
		all(args);
		cJSON_Delete(args);
		return 0;
	}
	/* Not JSON: the env file parser reads raw text. */
	dap_args_env_var *vars = NULL;
	size_t n = 0;
	gd_err err = GD_ERR_INIT;
	if (dap_args_env_file_parse((const char *)data, size, "fuzz.env", &vars,
				    &n, &err) == 0)
		dap_args_env_free(vars, n);
	gd_err_clear(&err);
	/* And arguments that are not an object at all. */
	char *s = malloc(size + 1);
	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
		cJSON *str = cJSON_CreateString(s);
		if (str)
			all(str);
		cJSON_Delete(str);
		free(s);
	}
	all(NULL);
	return 0;
}
