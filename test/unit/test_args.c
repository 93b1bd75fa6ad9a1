/* Unit tests for adapter/dap_args.c: a valid and an invalid case per
 * request, every launch attribute, and the exact messages. */
#include "gd_test.h"

#include "dap_args.h"
#include "dap_goversion.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static cJSON *J(const char *text)
{
	if (!text)
		return NULL;
	cJSON *j = cJSON_Parse(text);
	if (!j) {
		fprintf(stderr, "test bug: bad JSON %s\n", text);
		exit(2);
	}
	return j;
}

/* Parses json (NULL: no arguments) into *out; the cJSON is deleted before
 * the caller looks at *out, so strings must be copies. */
#define PARSE_OK(fn, out, json)                                            \
	do {                                                               \
		cJSON *pj_ = J(json);                                       \
		gd_err pe_ = GD_ERR_INIT;                                   \
		memset((out), 0x5a, sizeof(*(out)));                       \
		int prc_ = fn(pj_, (out), &pe_);                              \
		if (prc_ != 0)                                              \
			fprintf(stderr, "%s:%d: unexpected error: %s\n",   \
				__FILE__, __LINE__, gd_err_msg(&pe_));      \
		CHECK_INT(prc_, 0);                                         \
		gd_err_clear(&pe_);                                         \
		cJSON_Delete(pj_);                                          \
	} while (0)

/* Expects fn to refuse json with exactly the message want; nothing may leak
 * (ASan checks) and the struct needs no free. */
#define PARSE_FAIL(fn, T, json, want)                                       \
	do {                                                               \
		T pa_;                                                      \
		cJSON *pj_ = J(json);                                       \
		gd_err pe_ = GD_ERR_INIT;                                   \
		memset(&pa_, 0x5a, sizeof(pa_));                             \
		CHECK_INT(fn(pj_, &pa_, &pe_), -1);                           \
		CHECK_STR(pe_.msg, want);                                    \
		gd_err_clear(&pe_);                                         \
		cJSON_Delete(pj_);                                          \
	} while (0)

/* ---- initialize ---- */

static void test_initialize(void)
{
	dap_args_initialize a;
	PARSE_OK(dap_args_initialize_parse, &a, NULL);
	CHECK_INT(a.lines_start_at1, 1);
	CHECK_INT(a.columns_start_at1, 1);
	CHECK_STR(a.path_format, "path");
	CHECK(a.client_id == NULL);
	CHECK_INT(a.supports_run_in_terminal_request, 0);
	dap_args_initialize_free(&a);

	PARSE_OK(dap_args_initialize_parse, &a,
		 "{\"clientID\":\"vscode\",\"clientName\":\"Visual Studio Code\","
		 "\"adapterID\":\"go\",\"locale\":\"en\",\"pathFormat\":\"uri\","
		 "\"linesStartAt1\":false,\"columnsStartAt1\":false,"
		 "\"supportsVariableType\":true,\"supportsVariablePaging\":true,"
		 "\"supportsRunInTerminalRequest\":true,"
		 "\"supportsMemoryReferences\":true,"
		 "\"supportsProgressReporting\":true,"
		 "\"supportsInvalidatedEvent\":true,\"supportsMemoryEvent\":true,"
		 "\"supportsArgsCanBeInterpretedByShell\":true,"
		 "\"supportsStartDebuggingRequest\":true,\"unknown\":[1]}");
	CHECK_STR(a.client_id, "vscode");
	CHECK_STR(a.client_name, "Visual Studio Code");
	CHECK_STR(a.adapter_id, "go");
	CHECK_STR(a.locale, "en");
	CHECK_STR(a.path_format, "uri");
	CHECK_INT(a.lines_start_at1, 0);
	CHECK_INT(a.columns_start_at1, 0);
	CHECK_INT(a.supports_variable_type, 1);
	CHECK_INT(a.supports_variable_paging, 1);
	CHECK_INT(a.supports_run_in_terminal_request, 1);
	CHECK_INT(a.supports_memory_references, 1);
	CHECK_INT(a.supports_progress_reporting, 1);
	CHECK_INT(a.supports_invalidated_event, 1);
	CHECK_INT(a.supports_memory_event, 1);
	CHECK_INT(a.supports_args_can_be_interpreted_by_shell, 1);
	CHECK_INT(a.supports_start_debugging_request, 1);
	dap_args_initialize_free(&a);

	/* null counts as missing */
	PARSE_OK(dap_args_initialize_parse, &a,
		 "{\"linesStartAt1\":null,\"clientID\":null}");
	CHECK_INT(a.lines_start_at1, 1);
	CHECK(a.client_id == NULL);
	dap_args_initialize_free(&a);

	PARSE_FAIL(dap_args_initialize_parse, dap_args_initialize,
		   "{\"clientID\":3}",
		   "initialize: 'clientID' must be a string, not 3");
	PARSE_FAIL(dap_args_initialize_parse, dap_args_initialize,
		   "{\"linesStartAt1\":\"yes\"}",
		   "initialize: 'linesStartAt1' must be true or false, not a string");
	PARSE_FAIL(dap_args_initialize_parse, dap_args_initialize,
		   "{\"clientID\":\"x\",\"supportsRunInTerminalRequest\":1}",
		   "initialize: 'supportsRunInTerminalRequest' must be true or "
		   "false, not 1");
	PARSE_FAIL(dap_args_initialize_parse, dap_args_initialize,
		   "{\"pathFormat\":{}}",
		   "initialize: 'pathFormat' must be a string, not an object");
	PARSE_FAIL(dap_args_initialize_parse, dap_args_initialize, "[1,2]",
		   "initialize: the arguments must be an object, not an array");
}

/* ---- launch ---- */

static void test_launch_minimal(void)
{
	dap_args_launch a;
	PARSE_OK(dap_args_launch_parse, &a, "{\"program\":\"/src/hello\"}");
	CHECK_INT(a.attach, 0);
	CHECK_STR(a.mode, "debug");
	CHECK_STR(a.program, "/src/hello");
	CHECK_INT(a.nargs, 0);
	CHECK(a.cwd == NULL);
	CHECK_INT(a.nenv, 0);
	CHECK_INT(a.nbuild_flags, 0);
	CHECK_INT(a.stop_on_entry, 0);
	CHECK_INT(a.nsubstitute_path, 0);
	CHECK_INT(a.hide_system_goroutines, 0);
	CHECK_INT(a.show_global_variables, 0);
	CHECK_INT(a.show_registers, 0);
	CHECK_INT(a.stack_trace_depth, 50);
	CHECK(a.output == NULL);
	CHECK_INT(a.no_debug, 0);
	dap_args_launch_free(&a);
	/* free twice is harmless (the struct is zeroed) */
	dap_args_launch_free(&a);
}

static void test_launch_full(void)
{
	dap_args_launch a;
	PARSE_OK(dap_args_launch_parse, &a,
		 "{\"type\":\"go\",\"request\":\"launch\",\"name\":\"x\","
		 "\"mode\":\"exec\",\"program\":\"./bin/app\","
		 "\"args\":[\"-v\",\"two words\",\"\"],"
		 "\"cwd\":\"/tmp/w\","
		 "\"env\":{\"FOO\":\"bar\",\"GONE\":null,\"EMPTY\":\"\"},"
		 "\"buildFlags\":[\"-tags\",\"a b\"],"
		 "\"stopOnEntry\":true,"
		 "\"substitutePath\":[{\"from\":\"/home/me/src\",\"to\":\"/build\"},"
		 "{\"from\":\"\",\"to\":\"/x\"}],"
		 "\"hideSystemGoroutines\":true,\"showGlobalVariables\":true,"
		 "\"showRegisters\":true,\"stackTraceDepth\":120,"
		 "\"output\":\"/tmp/out/bin\",\"noDebug\":true,"
		 "\"showLog\":true,\"dlvFlags\":[\"--x\"]}");
	CHECK_STR(a.mode, "exec");
	CHECK_STR(a.program, "./bin/app");
	CHECK_INT(a.nargs, 3);
	if (a.nargs == 3) {
		CHECK_STR(a.args[0], "-v");
		CHECK_STR(a.args[1], "two words");
		CHECK_STR(a.args[2], "");
		CHECK(a.args[3] == NULL);
	}
	CHECK_STR(a.cwd, "/tmp/w");
	CHECK_INT(a.nenv, 3);
	if (a.nenv == 3) {
		CHECK_STR(a.env[0].name, "FOO");
		CHECK_STR(a.env[0].value, "bar");
		CHECK_STR(a.env[1].name, "GONE");
		CHECK(a.env[1].value == NULL);
		CHECK_STR(a.env[2].name, "EMPTY");
		CHECK_STR(a.env[2].value, "");
	}
	CHECK_INT(a.nbuild_flags, 2);
	if (a.nbuild_flags == 2) {
		CHECK_STR(a.build_flags[0], "-tags");
		CHECK_STR(a.build_flags[1], "a b");
	}
	CHECK_INT(a.stop_on_entry, 1);
	CHECK_INT(a.nsubstitute_path, 2);
	if (a.nsubstitute_path == 2) {
		CHECK_STR(a.substitute_path[0].from, "/home/me/src");
		CHECK_STR(a.substitute_path[0].to, "/build");
		CHECK_STR(a.substitute_path[1].from, "");
		CHECK_STR(a.substitute_path[1].to, "/x");
	}
	CHECK_INT(a.hide_system_goroutines, 1);
	CHECK_INT(a.show_global_variables, 1);
	CHECK_INT(a.show_registers, 1);
	CHECK_INT(a.stack_trace_depth, 120);
	CHECK_STR(a.output, "/tmp/out/bin");
	CHECK_INT(a.no_debug, 1);
	dap_args_launch_free(&a);
}

static void test_launch_mode(void)
{
	dap_args_launch a;
	PARSE_OK(dap_args_launch_parse, &a,
		 "{\"mode\":\"debug\",\"program\":\"p\"}");
	CHECK_STR(a.mode, "debug");
	dap_args_launch_free(&a);
	PARSE_OK(dap_args_launch_parse, &a,
		 "{\"mode\":\"test\",\"program\":\"./pkg\"}");
	CHECK_STR(a.mode, "test");
	dap_args_launch_free(&a);
	PARSE_OK(dap_args_launch_parse, &a,
		 "{\"mode\":\"auto\",\"program\":\"/src/x_test.go\"}");
	CHECK_STR(a.mode, "test");
	dap_args_launch_free(&a);
	PARSE_OK(dap_args_launch_parse, &a,
		 "{\"mode\":\"auto\",\"program\":\"/src/main.go\"}");
	CHECK_STR(a.mode, "debug");
	dap_args_launch_free(&a);
	PARSE_OK(dap_args_launch_parse, &a,
		 "{\"mode\":null,\"program\":\"/src/x_test.go\"}");
	CHECK_STR(a.mode, "debug"); /* no mode: debug, as Delve does */
	dap_args_launch_free(&a);

	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"mode\":\"remote\",\"program\":\"p\"}",
		   "launch: mode \"remote\" is not supported (supported: "
		   "\"debug\", the default, \"exec\", \"test\", \"auto\" and "
		   "\"core\")");
	PARSE_OK(dap_args_launch_parse, &a,
		 "{\"mode\":\"core\",\"program\":\"/bin/p\","
		 "\"coreFilePath\":\"/tmp/core.1\"}");
	CHECK_STR(a.mode, "core");
	CHECK_STR(a.corefile_path, "/tmp/core.1");
	dap_args_launch_free(&a);
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"mode\":\"core\",\"program\":\"p\"}",
		   "launch: 'coreFilePath' is required with mode \"core\"");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"mode\":1,\"program\":\"p\"}",
		   "launch: 'mode' must be a string, not 1");
}

static void test_launch_invalid(void)
{
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch, NULL,
		   "launch: 'program' is required");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch, "{}",
		   "launch: 'program' is required");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":null}", "launch: 'program' is required");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":[\"a\"]}",
		   "launch: 'program' must be a string, not an array");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"\"}", "launch: 'program' must not be empty");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch, "\"prog\"",
		   "launch: the arguments must be an object, not a string");

	/* args */
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"args\":\"-v -x\"}",
		   "launch: 'args' must be an array of strings, not a string");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"args\":[\"a\",\"b\",7]}",
		   "launch: 'args[2]' must be a string, not 7");
	/* cwd */
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"cwd\":false}",
		   "launch: 'cwd' must be a string, not false");
	/* env */
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"env\":[\"A=1\"]}",
		   "launch: 'env' must be an object, not an array");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"env\":{\"A\":\"1\",\"PORT\":8080}}",
		   "launch: 'env.PORT' must be a string (or null to unset it), "
		   "not 8080");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"env\":{\"A=B\":\"1\"}}",
		   "launch: 'env' variable name 'A=B' must not contain '='");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"env\":{\"\":\"1\"}}",
		   "launch: 'env' has a variable with an empty name");
	/* buildFlags */
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"buildFlags\":5}",
		   "launch: 'buildFlags' must be a string or an array of "
		   "strings, not 5");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"buildFlags\":[\"-race\",true]}",
		   "launch: 'buildFlags[1]' must be a string, not true");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"buildFlags\":\"-tags 'a b\"}",
		   "launch: 'buildFlags': unterminated ' quote in \"-tags 'a b\"");
	/* stopOnEntry and the other booleans */
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"stopOnEntry\":\"true\"}",
		   "launch: 'stopOnEntry' must be true or false, not a string");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"hideSystemGoroutines\":1}",
		   "launch: 'hideSystemGoroutines' must be true or false, not 1");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"showGlobalVariables\":[]}",
		   "launch: 'showGlobalVariables' must be true or false, not "
		   "an array");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"showRegisters\":{}}",
		   "launch: 'showRegisters' must be true or false, not an object");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"noDebug\":0}",
		   "launch: 'noDebug' must be true or false, not 0");
	/* substitutePath */
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"substitutePath\":{\"from\":\"a\"}}",
		   "launch: 'substitutePath' must be an array of {\"from\", "
		   "\"to\"} objects, not an object");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"substitutePath\":[\"a\"]}",
		   "launch: 'substitutePath[0]' must be an object, not a string");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"substitutePath\":[{\"from\":\"a\","
		   "\"to\":\"b\"},{\"from\":\"c\"}]}",
		   "launch: 'substitutePath[1].to' is required");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"substitutePath\":[{\"from\":1,"
		   "\"to\":\"b\"}]}",
		   "launch: 'substitutePath[0].from' must be a string, not 1");
	/* stackTraceDepth */
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"stackTraceDepth\":0}",
		   "launch: 'stackTraceDepth' must be at least 1 (got 0)");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"stackTraceDepth\":-3}",
		   "launch: 'stackTraceDepth' must be at least 1 (got -3)");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"stackTraceDepth\":12.5}",
		   "launch: 'stackTraceDepth' must be an integer, not 12.5");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"stackTraceDepth\":1e12}",
		   "launch: 'stackTraceDepth' must be at most 1000000 (got "
		   "1000000000000)");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"stackTraceDepth\":\"50\"}",
		   "launch: 'stackTraceDepth' must be an integer, not a string");
	/* output */
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"output\":[]}",
		   "launch: 'output' must be a string, not an array");
}

static void test_build_flags_string(void)
{
	dap_args_launch a;
	PARSE_OK(dap_args_launch_parse, &a,
		 "{\"program\":\"p\",\"buildFlags\":"
		 "\"  -tags 'integration db'\\t-ldflags=\\\"-X main.v=1\\\" -race ''\"}");
	CHECK_INT(a.nbuild_flags, 5);
	if (a.nbuild_flags == 5) {
		CHECK_STR(a.build_flags[0], "-tags");
		CHECK_STR(a.build_flags[1], "integration db");
		CHECK_STR(a.build_flags[2], "-ldflags=-X main.v=1");
		CHECK_STR(a.build_flags[3], "-race");
		CHECK_STR(a.build_flags[4], "");
	}
	dap_args_launch_free(&a);
	PARSE_OK(dap_args_launch_parse, &a,
		 "{\"program\":\"p\",\"buildFlags\":\"   \"}");
	CHECK_INT(a.nbuild_flags, 0);
	dap_args_launch_free(&a);
	PARSE_OK(dap_args_launch_parse, &a,
		 "{\"program\":\"p\",\"buildFlags\":\"-race\"}");
	CHECK_INT(a.nbuild_flags, 1);
	if (a.nbuild_flags == 1)
		CHECK_STR(a.build_flags[0], "-race");
	dap_args_launch_free(&a);

	char **v;
	size_t n;
	gd_err err = GD_ERR_INIT;
	CHECK(dap_args_split_flags("a\"b c\"d 'x\"y'", &v, &n, &err) == 0);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_STR(v[0], "ab cd");
		CHECK_STR(v[1], "x\"y");
	}
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	CHECK(dap_args_split_flags("\"open", &v, &n, &err) == -1);
	CHECK_STR(err.msg, "unterminated \" quote in \"\"open\"");
	gd_err_clear(&err);
}

/* ---- attach ---- */

static void test_attach(void)
{
	dap_args_launch a;
	PARSE_OK(dap_args_attach_parse, &a, "{\"processId\":4242}");
	CHECK_INT(a.attach, 1);
	CHECK_STR(a.mode, "local");
	CHECK_INT(a.process_id, 4242);
	CHECK_INT(a.stack_trace_depth, 50);
	CHECK(a.program == NULL);
	dap_args_launch_free(&a);

	PARSE_OK(dap_args_attach_parse, &a,
		 "{\"mode\":\"local\",\"processId\":\"77\",\"cwd\":\"/w\","
		 "\"substitutePath\":[{\"from\":\"/a\",\"to\":\"/b\"}],"
		 "\"hideSystemGoroutines\":true,\"stackTraceDepth\":10}");
	CHECK_INT(a.process_id, 77);
	CHECK_STR(a.cwd, "/w");
	CHECK_INT(a.nsubstitute_path, 1);
	CHECK_INT(a.hide_system_goroutines, 1);
	CHECK_INT(a.stack_trace_depth, 10);
	dap_args_launch_free(&a);

	PARSE_FAIL(dap_args_attach_parse, dap_args_launch, "{}",
		   "attach: 'processId' (or 'waitFor') is required");
	PARSE_FAIL(dap_args_attach_parse, dap_args_launch, NULL,
		   "attach: 'processId' (or 'waitFor') is required");
	PARSE_OK(dap_args_attach_parse, &a, "{\"waitFor\":\"myserver\"}");
	CHECK_STR(a.wait_for, "myserver");
	CHECK_INT(a.process_id, 0);
	dap_args_launch_free(&a);
	PARSE_FAIL(dap_args_attach_parse, dap_args_launch,
		   "{\"waitFor\":\"\"}", "attach: 'waitFor' must not be empty");
	PARSE_FAIL(dap_args_attach_parse, dap_args_launch,
		   "{\"waitFor\":\"x\",\"processId\":3}",
		   "attach: give 'processId' or 'waitFor', not both");
	PARSE_FAIL(dap_args_attach_parse, dap_args_launch,
		   "{\"processId\":\"${command:pickProcess}\"}",
		   "attach: 'processId' must be a process id (a positive "
		   "integer), not '${command:pickProcess}'");
	PARSE_FAIL(dap_args_attach_parse, dap_args_launch,
		   "{\"processId\":\"12x\"}",
		   "attach: 'processId' must be a process id (a positive "
		   "integer), not '12x'");
	PARSE_FAIL(dap_args_attach_parse, dap_args_launch,
		   "{\"processId\":\"-5\"}",
		   "attach: 'processId' must be a process id (a positive "
		   "integer), not '-5'");
	PARSE_FAIL(dap_args_attach_parse, dap_args_launch,
		   "{\"processId\":0}",
		   "attach: 'processId' must be at least 1 (got 0)");
	PARSE_FAIL(dap_args_attach_parse, dap_args_launch,
		   "{\"processId\":12.5}",
		   "attach: 'processId' must be an integer, not 12.5");
	PARSE_FAIL(dap_args_attach_parse, dap_args_launch,
		   "{\"processId\":true}",
		   "attach: 'processId' must be an integer, not true");
	PARSE_FAIL(dap_args_attach_parse, dap_args_launch,
		   "{\"processId\":99999999999}",
		   "attach: 'processId' must be at most 2147483647 (got "
		   "99999999999)");
	PARSE_FAIL(dap_args_attach_parse, dap_args_launch,
		   "{\"mode\":\"remote\",\"processId\":1}",
		   "attach: mode \"remote\" joins a program this godap already "
		   "debugs (started with --listen --accept-multiclient, left by an "
		   "earlier client); there is none: launch it (mode \"exec\") or "
		   "attach with processId");
	PARSE_FAIL(dap_args_attach_parse, dap_args_launch,
		   "{\"mode\":\"core\",\"processId\":1}",
		   "attach: mode \"core\" is not supported (supported: \"local\", "
		   "and \"remote\" with --accept-multiclient)");
	PARSE_FAIL(dap_args_attach_parse, dap_args_launch,
		   "{\"processId\":1,\"stopOnEntry\":\"no\"}",
		   "attach: 'stopOnEntry' must be true or false, not a string");
}

/* ---- setBreakpoints ---- */

static void test_set_breakpoints(void)
{
	dap_args_set_breakpoints a;
	PARSE_OK(dap_args_set_breakpoints_parse, &a,
		 "{\"source\":{\"name\":\"main.go\",\"path\":\"/s/main.go\"},"
		 "\"breakpoints\":[{\"line\":10},{\"line\":12,\"column\":3,"
		 "\"condition\":\"i > 2\",\"hitCondition\":\">= 3\","
		 "\"logMessage\":\"i={i}\"}],\"sourceModified\":true,"
		 "\"lines\":[99]}");
	CHECK_STR(a.source_path, "/s/main.go");
	CHECK_STR(a.source_name, "main.go");
	CHECK_INT(a.source_modified, 1);
	CHECK_INT(a.nbreakpoints, 2);
	if (a.nbreakpoints == 2) {
		CHECK_INT(a.breakpoints[0].line, 10);
		CHECK_INT(a.breakpoints[0].column, 0);
		CHECK(a.breakpoints[0].condition == NULL);
		CHECK(a.breakpoints[0].hit_condition == NULL);
		CHECK(a.breakpoints[0].log_message == NULL);
		CHECK_INT(a.breakpoints[1].line, 12);
		CHECK_INT(a.breakpoints[1].column, 3);
		CHECK_STR(a.breakpoints[1].condition, "i > 2");
		CHECK_STR(a.breakpoints[1].hit_condition, ">= 3");
		CHECK_STR(a.breakpoints[1].log_message, "i={i}");
	}
	dap_args_set_breakpoints_free(&a);

	/* no breakpoints: clear the file; legacy 'lines' */
	PARSE_OK(dap_args_set_breakpoints_parse, &a,
		 "{\"source\":{\"path\":\"/s/a.go\"}}");
	CHECK_INT(a.nbreakpoints, 0);
	dap_args_set_breakpoints_free(&a);
	PARSE_OK(dap_args_set_breakpoints_parse, &a,
		 "{\"source\":{\"path\":\"/s/a.go\"},\"lines\":[3,4]}");
	CHECK_INT(a.nbreakpoints, 2);
	if (a.nbreakpoints == 2)
		CHECK_INT(a.breakpoints[1].line, 4);
	dap_args_set_breakpoints_free(&a);

	PARSE_FAIL(dap_args_set_breakpoints_parse, dap_args_set_breakpoints,
		   "{\"breakpoints\":[]}", "setBreakpoints: 'source' is required");
	PARSE_FAIL(dap_args_set_breakpoints_parse, dap_args_set_breakpoints,
		   "{\"source\":\"/a.go\"}",
		   "setBreakpoints: 'source' must be an object, not a string");
	PARSE_FAIL(dap_args_set_breakpoints_parse, dap_args_set_breakpoints,
		   "{\"source\":{\"name\":\"a.go\"}}",
		   "setBreakpoints: 'source.path' is required");
	PARSE_FAIL(dap_args_set_breakpoints_parse, dap_args_set_breakpoints,
		   "{\"source\":{\"path\":42}}",
		   "setBreakpoints: 'source.path' must be a string, not 42");
	PARSE_FAIL(dap_args_set_breakpoints_parse, dap_args_set_breakpoints,
		   "{\"source\":{\"path\":\"/a.go\"},\"breakpoints\":{}}",
		   "setBreakpoints: 'breakpoints' must be an array of objects, "
		   "not an object");
	PARSE_FAIL(dap_args_set_breakpoints_parse, dap_args_set_breakpoints,
		   "{\"source\":{\"path\":\"/a.go\"},\"breakpoints\":[5]}",
		   "setBreakpoints: 'breakpoints[0]' must be an object, not 5");
	PARSE_FAIL(dap_args_set_breakpoints_parse, dap_args_set_breakpoints,
		   "{\"source\":{\"path\":\"/a.go\"},\"breakpoints\":"
		   "[{\"line\":1},{\"column\":2}]}",
		   "setBreakpoints: 'breakpoints[1].line' is required");
	PARSE_FAIL(dap_args_set_breakpoints_parse, dap_args_set_breakpoints,
		   "{\"source\":{\"path\":\"/a.go\"},\"breakpoints\":"
		   "[{\"line\":1.5}]}",
		   "setBreakpoints: 'breakpoints[0].line' must be an integer, "
		   "not 1.5");
	PARSE_FAIL(dap_args_set_breakpoints_parse, dap_args_set_breakpoints,
		   "{\"source\":{\"path\":\"/a.go\"},\"breakpoints\":"
		   "[{\"line\":-1}]}",
		   "setBreakpoints: 'breakpoints[0].line' must not be negative "
		   "(got -1)");
	PARSE_FAIL(dap_args_set_breakpoints_parse, dap_args_set_breakpoints,
		   "{\"source\":{\"path\":\"/a.go\"},\"breakpoints\":"
		   "[{\"line\":3,\"condition\":true}]}",
		   "setBreakpoints: 'breakpoints[0].condition' must be a "
		   "string, not true");
	PARSE_FAIL(dap_args_set_breakpoints_parse, dap_args_set_breakpoints,
		   "{\"source\":{\"path\":\"/a.go\"},\"breakpoints\":"
		   "[{\"line\":3,\"hitCondition\":3}]}",
		   "setBreakpoints: 'breakpoints[0].hitCondition' must be a "
		   "string, not 3");
	PARSE_FAIL(dap_args_set_breakpoints_parse, dap_args_set_breakpoints,
		   "{\"source\":{\"path\":\"/a.go\"},\"breakpoints\":"
		   "[{\"line\":3,\"logMessage\":[]}]}",
		   "setBreakpoints: 'breakpoints[0].logMessage' must be a "
		   "string, not an array");
	PARSE_FAIL(dap_args_set_breakpoints_parse, dap_args_set_breakpoints,
		   "{\"source\":{\"path\":\"/a.go\"},\"breakpoints\":"
		   "[{\"line\":3,\"column\":\"1\"}]}",
		   "setBreakpoints: 'breakpoints[0].column' must be an "
		   "integer, not a string");
	PARSE_FAIL(dap_args_set_breakpoints_parse, dap_args_set_breakpoints,
		   "{\"source\":{\"path\":\"/a.go\"},\"sourceModified\":\"no\"}",
		   "setBreakpoints: 'sourceModified' must be true or false, not "
		   "a string");
	PARSE_FAIL(dap_args_set_breakpoints_parse, dap_args_set_breakpoints,
		   "{\"source\":{\"path\":\"/a.go\"},\"lines\":[1,\"x\"]}",
		   "setBreakpoints: 'lines[1]' must be a line number, not a "
		   "string");
}

/* ---- setFunctionBreakpoints ---- */

static void test_set_function_breakpoints(void)
{
	dap_args_set_function_breakpoints a;
	PARSE_OK(dap_args_set_function_breakpoints_parse, &a,
		 "{\"breakpoints\":[{\"name\":\"main.main\"},"
		 "{\"name\":\"main.(*T).M\",\"condition\":\"x\","
		 "\"hitCondition\":\"2\"}]}");
	CHECK_INT(a.nbreakpoints, 2);
	if (a.nbreakpoints == 2) {
		CHECK_STR(a.breakpoints[0].name, "main.main");
		CHECK(a.breakpoints[0].condition == NULL);
		CHECK_STR(a.breakpoints[1].name, "main.(*T).M");
		CHECK_STR(a.breakpoints[1].condition, "x");
		CHECK_STR(a.breakpoints[1].hit_condition, "2");
	}
	dap_args_set_function_breakpoints_free(&a);
	PARSE_OK(dap_args_set_function_breakpoints_parse, &a,
		 "{\"breakpoints\":[]}");
	CHECK_INT(a.nbreakpoints, 0);
	dap_args_set_function_breakpoints_free(&a);

	PARSE_FAIL(dap_args_set_function_breakpoints_parse,
		   dap_args_set_function_breakpoints, "{}",
		   "setFunctionBreakpoints: 'breakpoints' is required");
	PARSE_FAIL(dap_args_set_function_breakpoints_parse,
		   dap_args_set_function_breakpoints,
		   "{\"breakpoints\":[{\"condition\":\"x\"}]}",
		   "setFunctionBreakpoints: 'breakpoints[0].name' is required");
	PARSE_FAIL(dap_args_set_function_breakpoints_parse,
		   dap_args_set_function_breakpoints,
		   "{\"breakpoints\":[{\"name\":\"\"}]}",
		   "setFunctionBreakpoints: 'breakpoints[0].name' must not be "
		   "empty");
	PARSE_FAIL(dap_args_set_function_breakpoints_parse,
		   dap_args_set_function_breakpoints,
		   "{\"breakpoints\":[{\"name\":\"f\",\"hitCondition\":1}]}",
		   "setFunctionBreakpoints: 'breakpoints[0].hitCondition' must "
		   "be a string, not 1");
}

/* ---- setExceptionBreakpoints ---- */

static void test_set_exception_breakpoints(void)
{
	dap_args_set_exception_breakpoints a;
	PARSE_OK(dap_args_set_exception_breakpoints_parse, &a,
		 "{\"filters\":[\"panic\",\"fatal\"],\"filterOptions\":"
		 "[{\"filterId\":\"panic\",\"condition\":\"x\"}]}");
	CHECK_INT(a.nfilters, 2);
	if (a.nfilters == 2) {
		CHECK_STR(a.filters[0], "panic");
		CHECK_STR(a.filters[1], "fatal");
	}
	CHECK_INT(a.nfilter_options, 1);
	if (a.nfilter_options == 1) {
		CHECK_STR(a.filter_options[0].filter_id, "panic");
		CHECK_STR(a.filter_options[0].condition, "x");
	}
	dap_args_set_exception_breakpoints_free(&a);
	PARSE_OK(dap_args_set_exception_breakpoints_parse, &a,
		 "{\"filters\":[]}");
	CHECK_INT(a.nfilters, 0);
	CHECK_INT(a.nfilter_options, 0);
	dap_args_set_exception_breakpoints_free(&a);

	PARSE_FAIL(dap_args_set_exception_breakpoints_parse,
		   dap_args_set_exception_breakpoints, "{}",
		   "setExceptionBreakpoints: 'filters' is required");
	PARSE_FAIL(dap_args_set_exception_breakpoints_parse,
		   dap_args_set_exception_breakpoints, "{\"filters\":[1]}",
		   "setExceptionBreakpoints: 'filters[0]' must be a string, "
		   "not 1");
	PARSE_FAIL(dap_args_set_exception_breakpoints_parse,
		   dap_args_set_exception_breakpoints,
		   "{\"filters\":[],\"filterOptions\":[{\"condition\":\"c\"}]}",
		   "setExceptionBreakpoints: 'filterOptions[0].filterId' is "
		   "required");
}

/* ---- threads ---- */

static void test_threads(void)
{
	gd_err err = GD_ERR_INIT;
	CHECK(dap_args_none_parse("threads", NULL, &err) == 0);
	cJSON *j = J("{}");
	CHECK(dap_args_none_parse("threads", j, &err) == 0);
	cJSON_Delete(j);
	j = J("7");
	CHECK(dap_args_none_parse("threads", j, &err) == -1);
	CHECK_STR(err.msg, "threads: the arguments must be an object, not 7");
	gd_err_clear(&err);
	CHECK(dap_args_none_parse("configurationDone", j, &err) == -1);
	CHECK_STR(err.msg, "configurationDone: the arguments must be an "
		  "object, not 7");
	gd_err_clear(&err);
	cJSON_Delete(j);
}

/* ---- stackTrace ---- */

static void test_stack_trace(void)
{
	dap_args_stack_trace a;
	PARSE_OK(dap_args_stack_trace_parse, &a, "{\"threadId\":1}");
	CHECK_INT(a.thread_id, 1);
	CHECK_INT(a.start_frame, 0);
	CHECK_INT(a.levels, 0);
	CHECK_INT(a.format.given, 0);
	dap_args_stack_trace_free(&a);
	PARSE_OK(dap_args_stack_trace_parse, &a,
		 "{\"threadId\":123456789012,\"startFrame\":20,\"levels\":20,"
		 "\"format\":{\"parameters\":true,\"parameterTypes\":true,"
		 "\"parameterNames\":true,\"parameterValues\":true,\"line\":true,"
		 "\"module\":true,\"includeAll\":true}}");
	CHECK_INT(a.thread_id, 123456789012LL);
	CHECK_INT(a.start_frame, 20);
	CHECK_INT(a.levels, 20);
	CHECK_INT(a.format.given, 1);
	CHECK_INT(a.format.parameters, 1);
	CHECK_INT(a.format.parameter_types, 1);
	CHECK_INT(a.format.parameter_names, 1);
	CHECK_INT(a.format.parameter_values, 1);
	CHECK_INT(a.format.line, 1);
	CHECK_INT(a.format.module, 1);
	CHECK_INT(a.format.include_all, 1);
	dap_args_stack_trace_free(&a);

	PARSE_FAIL(dap_args_stack_trace_parse, dap_args_stack_trace, "{}",
		   "stackTrace: 'threadId' is required");
	PARSE_FAIL(dap_args_stack_trace_parse, dap_args_stack_trace,
		   "{\"threadId\":\"1\"}",
		   "stackTrace: 'threadId' must be an integer, not a string");
	PARSE_FAIL(dap_args_stack_trace_parse, dap_args_stack_trace,
		   "{\"threadId\":1.5}",
		   "stackTrace: 'threadId' must be an integer, not 1.5");
	PARSE_FAIL(dap_args_stack_trace_parse, dap_args_stack_trace,
		   "{\"threadId\":1,\"levels\":-1}",
		   "stackTrace: 'levels' must not be negative (got -1)");
	PARSE_FAIL(dap_args_stack_trace_parse, dap_args_stack_trace,
		   "{\"threadId\":1,\"startFrame\":-2}",
		   "stackTrace: 'startFrame' must not be negative (got -2)");
	PARSE_FAIL(dap_args_stack_trace_parse, dap_args_stack_trace,
		   "{\"threadId\":1,\"levels\":1e300}",
		   "stackTrace: 'levels' must be at most 1000000 (got 1e+300)");
	PARSE_FAIL(dap_args_stack_trace_parse, dap_args_stack_trace,
		   "{\"threadId\":1,\"format\":{\"line\":1}}",
		   "stackTrace: 'format.line' must be true or false, not 1");
	PARSE_FAIL(dap_args_stack_trace_parse, dap_args_stack_trace,
		   "{\"threadId\":1e100}",
		   "stackTrace: 'threadId' must be at most 9007199254740991 "
		   "(got 1e+100)");
}

/* ---- scopes ---- */

static void test_scopes(void)
{
	dap_args_scopes a;
	PARSE_OK(dap_args_scopes_parse, &a, "{\"frameId\":1000}");
	CHECK_INT(a.frame_id, 1000);
	dap_args_scopes_free(&a);
	PARSE_FAIL(dap_args_scopes_parse, dap_args_scopes, NULL,
		   "scopes: 'frameId' is required");
	PARSE_FAIL(dap_args_scopes_parse, dap_args_scopes,
		   "{\"frameId\":{}}",
		   "scopes: 'frameId' must be an integer, not an object");
	PARSE_FAIL(dap_args_scopes_parse, dap_args_scopes,
		   "{\"frameId\":4294967296}",
		   "scopes: 'frameId' must be at most 2147483647 (got "
		   "4294967296)");
}

/* ---- variables ---- */

static void test_variables(void)
{
	dap_args_variables a;
	PARSE_OK(dap_args_variables_parse, &a, "{\"variablesReference\":7}");
	CHECK_INT(a.variables_reference, 7);
	CHECK_INT(a.filter, DAP_VARS_ALL);
	CHECK_INT(a.start, 0);
	CHECK_INT(a.count, 0);
	CHECK_INT(a.format_hex, 0);
	dap_args_variables_free(&a);
	PARSE_OK(dap_args_variables_parse, &a,
		 "{\"variablesReference\":7,\"filter\":\"indexed\",\"start\":100,"
		 "\"count\":50,\"format\":{\"hex\":true}}");
	CHECK_INT(a.filter, DAP_VARS_INDEXED);
	CHECK_INT(a.start, 100);
	CHECK_INT(a.count, 50);
	CHECK_INT(a.format_hex, 1);
	dap_args_variables_free(&a);
	PARSE_OK(dap_args_variables_parse, &a,
		 "{\"variablesReference\":7,\"filter\":\"named\"}");
	CHECK_INT(a.filter, DAP_VARS_NAMED);
	dap_args_variables_free(&a);

	PARSE_FAIL(dap_args_variables_parse, dap_args_variables, "{}",
		   "variables: 'variablesReference' is required");
	PARSE_FAIL(dap_args_variables_parse, dap_args_variables,
		   "{\"variablesReference\":0}",
		   "variables: 'variablesReference' must be at least 1 (got 0)");
	PARSE_FAIL(dap_args_variables_parse, dap_args_variables,
		   "{\"variablesReference\":3,\"filter\":\"all\"}",
		   "variables: 'filter' must be \"indexed\" or \"named\", not "
		   "\"all\"");
	PARSE_FAIL(dap_args_variables_parse, dap_args_variables,
		   "{\"variablesReference\":3,\"count\":-10}",
		   "variables: 'count' must not be negative (got -10)");
	PARSE_FAIL(dap_args_variables_parse, dap_args_variables,
		   "{\"variablesReference\":3,\"start\":0.25}",
		   "variables: 'start' must be an integer, not 0.25");
	PARSE_FAIL(dap_args_variables_parse, dap_args_variables,
		   "{\"variablesReference\":3,\"format\":{\"hex\":\"y\"}}",
		   "variables: 'format.hex' must be true or false, not a string");
}

/* ---- continue / next / stepIn / stepOut / pause ---- */

static void test_step(void)
{
	dap_args_step a;
	PARSE_OK(dap_args_continue_parse, &a,
		 "{\"threadId\":5,\"singleThread\":true}");
	CHECK_INT(a.thread_id, 5);
	CHECK_INT(a.single_thread, 1);
	CHECK(a.granularity == NULL);
	dap_args_step_free(&a);
	PARSE_OK(dap_args_next_parse, &a, "{\"threadId\":5}");
	CHECK_INT(a.single_thread, 0);
	CHECK(a.granularity == NULL);
	dap_args_step_free(&a);
	PARSE_OK(dap_args_step_in_parse, &a,
		 "{\"threadId\":6,\"granularity\":\"instruction\"}");
	CHECK_STR(a.granularity, "instruction");
	dap_args_step_free(&a);
	PARSE_OK(dap_args_step_out_parse, &a,
		 "{\"threadId\":6,\"granularity\":\"line\"}");
	CHECK_STR(a.granularity, "line");
	dap_args_step_free(&a);
	PARSE_OK(dap_args_next_parse, &a,
		 "{\"threadId\":6,\"granularity\":\"statement\"}");
	CHECK_STR(a.granularity, "statement");
	dap_args_step_free(&a);
	PARSE_OK(dap_args_pause_parse, &a, "{\"threadId\":9}");
	CHECK_INT(a.thread_id, 9);
	dap_args_step_free(&a);

	PARSE_FAIL(dap_args_continue_parse, dap_args_step, "{}",
		   "continue: 'threadId' is required");
	PARSE_FAIL(dap_args_continue_parse, dap_args_step,
		   "{\"threadId\":1,\"singleThread\":\"no\"}",
		   "continue: 'singleThread' must be true or false, not a string");
	PARSE_FAIL(dap_args_next_parse, dap_args_step,
		   "{\"threadId\":1,\"granularity\":\"word\"}",
		   "next: 'granularity' must be \"statement\", \"line\" or "
		   "\"instruction\", not \"word\"");
	PARSE_FAIL(dap_args_step_in_parse, dap_args_step,
		   "{\"threadId\":-1}",
		   "stepIn: 'threadId' must not be negative (got -1)");
	PARSE_FAIL(dap_args_step_out_parse, dap_args_step,
		   "{\"threadId\":2,\"granularity\":7}",
		   "stepOut: 'granularity' must be a string, not 7");
	PARSE_FAIL(dap_args_pause_parse, dap_args_step, "{\"threadId\":null}",
		   "pause: 'threadId' is required");
	PARSE_FAIL(dap_args_next_parse, dap_args_step, "{\"threadId\":2.5}",
		   "next: 'threadId' must be an integer, not 2.5");
}

/* ---- evaluate / setVariable / setExpression ---- */

static void test_evaluate(void)
{
	dap_args_evaluate a;
	PARSE_OK(dap_args_evaluate_parse, &a, "{\"expression\":\"x + 1\"}");
	CHECK_STR(a.expression, "x + 1");
	CHECK_INT(a.has_frame_id, 0);
	CHECK(a.context == NULL);
	CHECK_INT(a.format_hex, 0);
	dap_args_evaluate_free(&a);
	PARSE_OK(dap_args_evaluate_parse, &a,
		 "{\"expression\":\"s[0]\",\"frameId\":0,\"context\":\"hover\","
		 "\"format\":{\"hex\":true}}");
	CHECK_INT(a.has_frame_id, 1);
	CHECK_INT(a.frame_id, 0);
	CHECK_STR(a.context, "hover");
	CHECK_INT(a.format_hex, 1);
	dap_args_evaluate_free(&a);

	PARSE_FAIL(dap_args_evaluate_parse, dap_args_evaluate,
		   "{\"frameId\":1}", "evaluate: 'expression' is required");
	PARSE_FAIL(dap_args_evaluate_parse, dap_args_evaluate,
		   "{\"expression\":\"x\",\"frameId\":\"top\"}",
		   "evaluate: 'frameId' must be an integer, not a string");
	PARSE_FAIL(dap_args_evaluate_parse, dap_args_evaluate,
		   "{\"expression\":\"x\",\"context\":1}",
		   "evaluate: 'context' must be a string, not 1");
	PARSE_FAIL(dap_args_evaluate_parse, dap_args_evaluate,
		   "{\"expression\":\"x\",\"format\":true}",
		   "evaluate: 'format' must be an object, not true");
}

static void test_set_variable(void)
{
	dap_args_set_variable a;
	PARSE_OK(dap_args_set_variable_parse, &a,
		 "{\"variablesReference\":3,\"name\":\"i\",\"value\":\"42\","
		 "\"format\":{\"hex\":false}}");
	CHECK_INT(a.variables_reference, 3);
	CHECK_STR(a.name, "i");
	CHECK_STR(a.value, "42");
	CHECK_INT(a.format_hex, 0);
	dap_args_set_variable_free(&a);

	PARSE_FAIL(dap_args_set_variable_parse, dap_args_set_variable,
		   "{\"variablesReference\":3,\"name\":\"i\"}",
		   "setVariable: 'value' is required");
	PARSE_FAIL(dap_args_set_variable_parse, dap_args_set_variable,
		   "{\"variablesReference\":3,\"name\":\"i\",\"value\":42}",
		   "setVariable: 'value' must be a string, not 42");
	PARSE_FAIL(dap_args_set_variable_parse, dap_args_set_variable,
		   "{\"name\":\"i\",\"value\":\"1\"}",
		   "setVariable: 'variablesReference' is required");
}

static void test_set_expression(void)
{
	dap_args_set_expression a;
	PARSE_OK(dap_args_set_expression_parse, &a,
		 "{\"expression\":\"p.x\",\"value\":\"3\",\"frameId\":12}");
	CHECK_STR(a.expression, "p.x");
	CHECK_STR(a.value, "3");
	CHECK_INT(a.has_frame_id, 1);
	CHECK_INT(a.frame_id, 12);
	dap_args_set_expression_free(&a);

	PARSE_FAIL(dap_args_set_expression_parse, dap_args_set_expression,
		   "{\"expression\":\"p.x\"}",
		   "setExpression: 'value' is required");
	PARSE_FAIL(dap_args_set_expression_parse, dap_args_set_expression,
		   "{\"expression\":\"p.x\",\"value\":\"1\",\"frameId\":-4}",
		   "setExpression: 'frameId' must not be negative (got -4)");
}

/* ---- disconnect ---- */

static void test_disconnect(void)
{
	dap_args_disconnect a;
	PARSE_OK(dap_args_disconnect_parse, &a, NULL);
	CHECK_INT(a.restart, DAP_ARGS_UNSET);
	CHECK_INT(a.terminate_debuggee, DAP_ARGS_UNSET);
	CHECK_INT(a.suspend_debuggee, DAP_ARGS_UNSET);
	dap_args_disconnect_free(&a);
	PARSE_OK(dap_args_disconnect_parse, &a,
		 "{\"restart\":false,\"terminateDebuggee\":true,"
		 "\"suspendDebuggee\":false}");
	CHECK_INT(a.restart, 0);
	CHECK_INT(a.terminate_debuggee, 1);
	CHECK_INT(a.suspend_debuggee, 0);
	dap_args_disconnect_free(&a);

	PARSE_FAIL(dap_args_disconnect_parse, dap_args_disconnect,
		   "{\"terminateDebuggee\":\"yes\"}",
		   "disconnect: 'terminateDebuggee' must be true or false, not "
		   "a string");
	PARSE_FAIL(dap_args_disconnect_parse, dap_args_disconnect,
		   "{\"restart\":1}",
		   "disconnect: 'restart' must be true or false, not 1");
}

/* ---- source / exceptionInfo ---- */

static void test_source(void)
{
	dap_args_source a;
	PARSE_OK(dap_args_source_parse, &a, "{\"sourceReference\":4}");
	CHECK_INT(a.source_reference, 4);
	CHECK(a.source_path == NULL);
	dap_args_source_free(&a);
	PARSE_OK(dap_args_source_parse, &a,
		 "{\"sourceReference\":0,\"source\":{\"path\":\"/usr/go/x.go\"}}");
	CHECK_INT(a.source_reference, 0);
	CHECK_STR(a.source_path, "/usr/go/x.go");
	dap_args_source_free(&a);
	PARSE_OK(dap_args_source_parse, &a,
		 "{\"sourceReference\":4,\"source\":{\"sourceReference\":9}}");
	CHECK_INT(a.source_reference, 9);
	dap_args_source_free(&a);

	PARSE_FAIL(dap_args_source_parse, dap_args_source, "{}",
		   "source: 'sourceReference' or 'source.path' is required");
	PARSE_FAIL(dap_args_source_parse, dap_args_source,
		   "{\"sourceReference\":\"4\"}",
		   "source: 'sourceReference' must be an integer, not a string");
	PARSE_FAIL(dap_args_source_parse, dap_args_source,
		   "{\"source\":{\"path\":false}}",
		   "source: 'source.path' must be a string, not false");
}

static void test_exception_info(void)
{
	dap_args_exception_info a;
	PARSE_OK(dap_args_exception_info_parse, &a, "{\"threadId\":18}");
	CHECK_INT(a.thread_id, 18);
	dap_args_exception_info_free(&a);
	PARSE_FAIL(dap_args_exception_info_parse, dap_args_exception_info,
		   "{}", "exceptionInfo: 'threadId' is required");
	PARSE_FAIL(dap_args_exception_info_parse, dap_args_exception_info,
		   "{\"threadId\":[]}",
		   "exceptionInfo: 'threadId' must be an integer, not an array");
}

/* ---- instruction / data breakpoints, locations, memory ---- */

static void test_set_instruction_breakpoints(void)
{
	dap_args_set_instruction_breakpoints a;
	PARSE_OK(dap_args_set_instruction_breakpoints_parse, &a,
		 "{\"breakpoints\":[{\"instructionReference\":\"0x401000\","
		 "\"offset\":-16,\"condition\":\"c\",\"hitCondition\":\"3\"},"
		 "{\"instructionReference\":\"0x402000\"}]}");
	CHECK_INT(a.nbreakpoints, 2);
	if (a.nbreakpoints == 2) {
		CHECK_STR(a.breakpoints[0].instruction_reference, "0x401000");
		CHECK_INT(a.breakpoints[0].offset, -16);
		CHECK_STR(a.breakpoints[0].condition, "c");
		CHECK_STR(a.breakpoints[0].hit_condition, "3");
		CHECK_INT(a.breakpoints[1].offset, 0);
		CHECK(a.breakpoints[1].condition == NULL);
	}
	dap_args_set_instruction_breakpoints_free(&a);

	PARSE_FAIL(dap_args_set_instruction_breakpoints_parse,
		   dap_args_set_instruction_breakpoints, "{}",
		   "setInstructionBreakpoints: 'breakpoints' is required");
	PARSE_FAIL(dap_args_set_instruction_breakpoints_parse,
		   dap_args_set_instruction_breakpoints,
		   "{\"breakpoints\":[{\"offset\":1}]}",
		   "setInstructionBreakpoints: "
		   "'breakpoints[0].instructionReference' is required");
	PARSE_FAIL(dap_args_set_instruction_breakpoints_parse,
		   dap_args_set_instruction_breakpoints,
		   "{\"breakpoints\":[{\"instructionReference\":\"0x1\","
		   "\"offset\":0.5}]}",
		   "setInstructionBreakpoints: 'breakpoints[0].offset' must be "
		   "an integer, not 0.5");
}

static void test_breakpoint_locations(void)
{
	dap_args_breakpoint_locations a;
	PARSE_OK(dap_args_breakpoint_locations_parse, &a,
		 "{\"source\":{\"path\":\"/a.go\"},\"line\":5}");
	CHECK_STR(a.source_path, "/a.go");
	CHECK_INT(a.line, 5);
	CHECK_INT(a.end_line, 0);
	CHECK_INT(a.column, 0);
	CHECK_INT(a.end_column, 0);
	dap_args_breakpoint_locations_free(&a);
	PARSE_OK(dap_args_breakpoint_locations_parse, &a,
		 "{\"source\":{\"path\":\"/a.go\"},\"line\":5,\"column\":2,"
		 "\"endLine\":9,\"endColumn\":1}");
	CHECK_INT(a.column, 2);
	CHECK_INT(a.end_line, 9);
	CHECK_INT(a.end_column, 1);
	dap_args_breakpoint_locations_free(&a);

	PARSE_FAIL(dap_args_breakpoint_locations_parse,
		   dap_args_breakpoint_locations,
		   "{\"source\":{\"path\":\"/a.go\"}}",
		   "breakpointLocations: 'line' is required");
	PARSE_FAIL(dap_args_breakpoint_locations_parse,
		   dap_args_breakpoint_locations, "{\"line\":3}",
		   "breakpointLocations: 'source' is required");
	PARSE_FAIL(dap_args_breakpoint_locations_parse,
		   dap_args_breakpoint_locations,
		   "{\"source\":{\"path\":\"/a.go\"},\"line\":5,\"endLine\":2}",
		   "breakpointLocations: 'endLine' must not be before 'line' "
		   "(2 < 5)");
}

static void test_disassemble(void)
{
	dap_args_disassemble a;
	PARSE_OK(dap_args_disassemble_parse, &a,
		 "{\"memoryReference\":\"0x401000\",\"instructionCount\":50}");
	CHECK_STR(a.memory_reference, "0x401000");
	CHECK_INT(a.offset, 0);
	CHECK_INT(a.instruction_offset, 0);
	CHECK_INT(a.instruction_count, 50);
	CHECK_INT(a.resolve_symbols, 0);
	dap_args_disassemble_free(&a);
	PARSE_OK(dap_args_disassemble_parse, &a,
		 "{\"memoryReference\":\"0x401000\",\"offset\":-8,"
		 "\"instructionOffset\":-200,\"instructionCount\":400,"
		 "\"resolveSymbols\":true}");
	CHECK_INT(a.offset, -8);
	CHECK_INT(a.instruction_offset, -200);
	CHECK_INT(a.instruction_count, 400);
	CHECK_INT(a.resolve_symbols, 1);
	dap_args_disassemble_free(&a);

	PARSE_FAIL(dap_args_disassemble_parse, dap_args_disassemble,
		   "{\"instructionCount\":5}",
		   "disassemble: 'memoryReference' is required");
	PARSE_FAIL(dap_args_disassemble_parse, dap_args_disassemble,
		   "{\"memoryReference\":\"0x1\"}",
		   "disassemble: 'instructionCount' is required");
	PARSE_FAIL(dap_args_disassemble_parse, dap_args_disassemble,
		   "{\"memoryReference\":\"0x1\",\"instructionCount\":-1}",
		   "disassemble: 'instructionCount' must not be negative (got -1)");
	PARSE_FAIL(dap_args_disassemble_parse, dap_args_disassemble,
		   "{\"memoryReference\":\"0x1\",\"instructionCount\":2000000}",
		   "disassemble: 'instructionCount' must be at most 1000000 "
		   "(got 2000000)");
	PARSE_FAIL(dap_args_disassemble_parse, dap_args_disassemble,
		   "{\"memoryReference\":4096,\"instructionCount\":1}",
		   "disassemble: 'memoryReference' must be a string, not 4096");
}

static void test_read_memory(void)
{
	dap_args_read_memory a;
	PARSE_OK(dap_args_read_memory_parse, &a,
		 "{\"memoryReference\":\"0xc000010000\",\"offset\":16,"
		 "\"count\":256}");
	CHECK_STR(a.memory_reference, "0xc000010000");
	CHECK_INT(a.offset, 16);
	CHECK_INT(a.count, 256);
	dap_args_read_memory_free(&a);

	PARSE_FAIL(dap_args_read_memory_parse, dap_args_read_memory,
		   "{\"memoryReference\":\"0x10\"}",
		   "readMemory: 'count' is required");
	PARSE_FAIL(dap_args_read_memory_parse, dap_args_read_memory,
		   "{\"memoryReference\":\"0x10\",\"count\":-1}",
		   "readMemory: 'count' must not be negative (got -1)");
	PARSE_FAIL(dap_args_read_memory_parse, dap_args_read_memory,
		   "{\"memoryReference\":\"0x10\",\"count\":1073741824}",
		   "readMemory: 'count' must be at most 16777216 (got "
		   "1073741824)");

	uint64_t addr;
	gd_err err = GD_ERR_INIT;
	CHECK(dap_args_memory_reference("0xc000010000", &addr, &err) == 0);
	CHECK(addr == 0xc000010000ULL);
	CHECK(dap_args_memory_reference("4096", &addr, &err) == 0);
	CHECK(addr == 4096);
	CHECK(dap_args_memory_reference("0xffffffffffffffff", &addr, &err) == 0);
	CHECK(addr == UINT64_MAX);
	CHECK(dap_args_memory_reference("0x", &addr, &err) == -1);
	CHECK_STR(err.msg, "memory reference '0x' is not an address (expected "
		  "0x followed by hex digits)");
	gd_err_clear(&err);
	CHECK(dap_args_memory_reference("-1", &addr, &err) == -1);
	gd_err_clear(&err);
	CHECK(dap_args_memory_reference("0x1g", &addr, &err) == -1);
	gd_err_clear(&err);
	CHECK(dap_args_memory_reference("0x10000000000000000", &addr, &err) == -1);
	gd_err_clear(&err);
	CHECK(dap_args_memory_reference("", &addr, &err) == -1);
	gd_err_clear(&err);
	CHECK(dap_args_memory_reference(NULL, &addr, &err) == -1);
	gd_err_clear(&err);
}

static void test_data_breakpoints(void)
{
	dap_args_data_breakpoint_info i;
	PARSE_OK(dap_args_data_breakpoint_info_parse, &i,
		 "{\"variablesReference\":4,\"name\":\"count\"}");
	CHECK_INT(i.has_variables_reference, 1);
	CHECK_INT(i.variables_reference, 4);
	CHECK_STR(i.name, "count");
	CHECK_INT(i.has_frame_id, 0);
	dap_args_data_breakpoint_info_free(&i);
	PARSE_OK(dap_args_data_breakpoint_info_parse, &i,
		 "{\"name\":\"g.x\",\"frameId\":3}");
	CHECK_INT(i.has_variables_reference, 0);
	CHECK_INT(i.has_frame_id, 1);
	CHECK_INT(i.frame_id, 3);
	dap_args_data_breakpoint_info_free(&i);
	PARSE_FAIL(dap_args_data_breakpoint_info_parse,
		   dap_args_data_breakpoint_info, "{\"variablesReference\":4}",
		   "dataBreakpointInfo: 'name' is required");
	PARSE_FAIL(dap_args_data_breakpoint_info_parse,
		   dap_args_data_breakpoint_info,
		   "{\"name\":\"x\",\"variablesReference\":\"4\"}",
		   "dataBreakpointInfo: 'variablesReference' must be an "
		   "integer, not a string");

	dap_args_set_data_breakpoints a;
	PARSE_OK(dap_args_set_data_breakpoints_parse, &a,
		 "{\"breakpoints\":[{\"dataId\":\"0xc000012000/8\","
		 "\"accessType\":\"write\",\"condition\":\"x > 1\","
		 "\"hitCondition\":\"2\"},{\"dataId\":\"d2\"}]}");
	CHECK_INT(a.nbreakpoints, 2);
	if (a.nbreakpoints == 2) {
		CHECK_STR(a.breakpoints[0].data_id, "0xc000012000/8");
		CHECK_STR(a.breakpoints[0].access_type, "write");
		CHECK_STR(a.breakpoints[0].condition, "x > 1");
		CHECK_STR(a.breakpoints[0].hit_condition, "2");
		CHECK_STR(a.breakpoints[1].data_id, "d2");
		CHECK(a.breakpoints[1].access_type == NULL);
	}
	dap_args_set_data_breakpoints_free(&a);
	PARSE_OK(dap_args_set_data_breakpoints_parse, &a,
		 "{\"breakpoints\":[{\"dataId\":\"a\",\"accessType\":\"read\"},"
		 "{\"dataId\":\"b\",\"accessType\":\"readWrite\"}]}");
	CHECK_INT(a.nbreakpoints, 2);
	dap_args_set_data_breakpoints_free(&a);

	PARSE_FAIL(dap_args_set_data_breakpoints_parse,
		   dap_args_set_data_breakpoints, "{}",
		   "setDataBreakpoints: 'breakpoints' is required");
	PARSE_FAIL(dap_args_set_data_breakpoints_parse,
		   dap_args_set_data_breakpoints,
		   "{\"breakpoints\":[{\"dataId\":\"a\",\"accessType\":\"exec\"}]}",
		   "setDataBreakpoints: 'breakpoints[0].accessType' must be "
		   "\"read\", \"write\" or \"readWrite\", not \"exec\"");
	PARSE_FAIL(dap_args_set_data_breakpoints_parse,
		   dap_args_set_data_breakpoints,
		   "{\"breakpoints\":[{\"dataId\":\"a\"},{\"accessType\":\"read\"}]}",
		   "setDataBreakpoints: 'breakpoints[1].dataId' is required");
}

/* Every parser on every kind of wrong 'arguments' value: an error, never
 * a crash (ASan/UBSan watch). */
static void test_wrong_shapes(void)
{
	static const char *shapes[] = {
		"0", "-1", "1.5", "\"s\"", "true", "[]", "[{}]",
		"{\"threadId\":{},\"frameId\":[],\"source\":[],\"breakpoints\":\"x\","
		"\"filters\":{},\"expression\":1,\"program\":{},\"env\":1,"
		"\"memoryReference\":null,\"variablesReference\":\"1\"}",
		"{\"breakpoints\":[null,1,\"x\",[]],"
		"\"source\":{\"path\":\"/a\",\"sourceReference\":-1},"
		"\"filters\":[null],\"filterOptions\":[1],\"substitutePath\":[null],"
		"\"program\":\"p\"}",
	};
	for (size_t k = 0; k < sizeof(shapes) / sizeof(shapes[0]); k++) {
		cJSON *j = J(shapes[k]);
		gd_err err = GD_ERR_INIT;
#define TRY(fn, T)                                                         \
		do {                                                       \
			T ta_;                                             \
			if (fn(j, &ta_, &err) == 0) {                       \
				fprintf(stderr, "%s accepted %s\n", #fn,   \
					shapes[k]);                        \
				CHECK(0);                                  \
			} else {                                           \
				CHECK(err.msg != NULL);                    \
			}                                                  \
			gd_err_clear(&err);                                \
		} while (0)
		TRY(dap_args_launch_parse, dap_args_launch);
		TRY(dap_args_attach_parse, dap_args_launch);
		TRY(dap_args_set_breakpoints_parse, dap_args_set_breakpoints);
		TRY(dap_args_set_function_breakpoints_parse,
		    dap_args_set_function_breakpoints);
		TRY(dap_args_set_exception_breakpoints_parse,
		    dap_args_set_exception_breakpoints);
		TRY(dap_args_stack_trace_parse, dap_args_stack_trace);
		TRY(dap_args_scopes_parse, dap_args_scopes);
		TRY(dap_args_variables_parse, dap_args_variables);
		TRY(dap_args_next_parse, dap_args_step);
		TRY(dap_args_evaluate_parse, dap_args_evaluate);
		TRY(dap_args_set_variable_parse, dap_args_set_variable);
		TRY(dap_args_set_expression_parse, dap_args_set_expression);
		TRY(dap_args_source_parse, dap_args_source);
		TRY(dap_args_exception_info_parse, dap_args_exception_info);
		TRY(dap_args_set_instruction_breakpoints_parse,
		    dap_args_set_instruction_breakpoints);
		TRY(dap_args_breakpoint_locations_parse,
		    dap_args_breakpoint_locations);
		TRY(dap_args_disassemble_parse, dap_args_disassemble);
		TRY(dap_args_read_memory_parse, dap_args_read_memory);
		TRY(dap_args_data_breakpoint_info_parse,
		    dap_args_data_breakpoint_info);
		TRY(dap_args_set_data_breakpoints_parse,
		    dap_args_set_data_breakpoints);
#undef TRY
		/* these have no required field: only non-objects fail */
		dap_args_initialize ia;
		dap_args_disconnect da;
		int is_obj = cJSON_IsObject(j);
		int rc = dap_args_initialize_parse(j, &ia, &err);
		CHECK_INT(rc, is_obj ? 0 : -1);
		if (rc == 0)
			dap_args_initialize_free(&ia);
		gd_err_clear(&err);
		CHECK_INT(dap_args_disconnect_parse(j, &da, &err), is_obj ? 0 : -1);
		gd_err_clear(&err);
		cJSON_Delete(j);
	}
}

/* ---- envFile ---- */

/* The value of name in vars, or "(unset)" / "(absent)". */
static const char *env_get(const dap_args_env_var *v, size_t n,
			   const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return v[i].value ? v[i].value : "(unset)";
	return "(absent)";
}

static void test_env_file_parse(void)
{
	const char *text =
		"# a comment\n"
		"\n"
		"PLAIN=value\n"
		"  SPACED = padded value   \n"
		"export EXPORTED=yes\n"
		"DQ=\"two words \\\"quoted\\\"\\nnext\"\n"
		"SQ='lit $HOME \\n'\n"
		"TRAIL=abc # comment\n"
		"HASH=a#b\n"
		"EMPTY=\n"
		"DOTTED.NAME-X=1\r\n"
		"PLAIN=second\n"
		"QC=\"q\" # after\n";
	dap_args_env_var *v = NULL;
	size_t n = 0;
	gd_err err = GD_ERR_INIT;
	CHECK_INT(dap_args_env_file_parse(text, strlen(text), "t.env", &v, &n,
					  &err), 0);
	CHECK_INT(n, 10);
	CHECK_STR(env_get(v, n, "PLAIN"), "second");
	CHECK_STR(env_get(v, n, "SPACED"), "padded value");
	CHECK_STR(env_get(v, n, "EXPORTED"), "yes");
	CHECK_STR(env_get(v, n, "DQ"), "two words \"quoted\"\nnext");
	CHECK_STR(env_get(v, n, "SQ"), "lit $HOME \\n");
	CHECK_STR(env_get(v, n, "TRAIL"), "abc");
	CHECK_STR(env_get(v, n, "HASH"), "a#b");
	CHECK_STR(env_get(v, n, "EMPTY"), "");
	CHECK_STR(env_get(v, n, "DOTTED.NAME-X"), "1");
	CHECK_STR(env_get(v, n, "QC"), "q");
	dap_args_env_free(v, n);

	static const struct {
		const char *text, *msg;
	} bad[] = {
		{"OK=1\nno equals here\n",
		 "envFile t.env line 2: expected KEY=VALUE"},
		{"=1\n", "envFile t.env line 1: expected KEY=VALUE"},
		{"1A=1\n", "envFile t.env line 1: expected KEY=VALUE"},
		{"A=\"open\n", "envFile t.env line 1: unterminated \" quote"},
		{"A='x' y\n",
		 "envFile t.env line 1: text after the closing quote"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = NULL;
		n = 0;
		CHECK_INT(dap_args_env_file_parse(bad[i].text,
						  strlen(bad[i].text), "t.env",
						  &v, &n, &err), -1);
		CHECK_STR(err.msg, bad[i].msg);
		CHECK(v == NULL && n == 0);
		gd_err_clear(&err);
	}
}

/* envFile in launch: files in order, later wins, env wins over all. */
static void test_launch_env_file(void)
{
	char p1[] = "/tmp/godap-envfile-XXXXXX", p2[] = "/tmp/godap-envfile-XXXXXX";
	int f1 = mkstemp(p1), f2 = mkstemp(p2);
	CHECK(f1 >= 0 && f2 >= 0);
	if (f1 < 0 || f2 < 0)
		return;
	const char *t1 = "A=from1\nB=from1\nC=from1\n";
	const char *t2 = "export B=from2\nD=\"from 2\"\n";
	CHECK(write(f1, t1, strlen(t1)) == (ssize_t)strlen(t1));
	CHECK(write(f2, t2, strlen(t2)) == (ssize_t)strlen(t2));
	close(f1);
	close(f2);
	char *json = NULL;
	CHECK(asprintf(&json, "{\"program\":\"p\",\"envFile\":[\"%s\",\"%s\"],"
		       "\"env\":{\"C\":\"env\",\"A\":null}}", p1, p2) > 0);
	dap_args_launch a;
	PARSE_OK(dap_args_launch_parse, &a, json);
	free(json);
	CHECK_INT(a.nenv, 4);
	CHECK_STR(env_get(a.env, a.nenv, "A"), "(unset)");
	CHECK_STR(env_get(a.env, a.nenv, "B"), "from2");
	CHECK_STR(env_get(a.env, a.nenv, "C"), "env");
	CHECK_STR(env_get(a.env, a.nenv, "D"), "from 2");
	dap_args_launch_free(&a);

	CHECK(asprintf(&json, "{\"program\":\"p\",\"envFile\":\"%s\"}", p2) > 0);
	PARSE_OK(dap_args_launch_parse, &a, json);
	free(json);
	CHECK_INT(a.nenv, 2);
	CHECK_STR(env_get(a.env, a.nenv, "B"), "from2");
	dap_args_launch_free(&a);

	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"envFile\":\"/nonexistent/godap.env\"}",
		   "launch: cannot read envFile /nonexistent/godap.env: "
		   "No such file or directory");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"envFile\":3}",
		   "launch: 'envFile' must be a path or an array of paths, "
		   "not 3");
	unlink(p1);
	unlink(p2);
}

static void test_launch_console(void)
{
	dap_args_launch a;
	PARSE_OK(dap_args_launch_parse, &a, "{\"program\":\"p\"}");
	CHECK_STR(a.console, "internalConsole");
	dap_args_launch_free(&a);
	PARSE_OK(dap_args_launch_parse, &a,
		 "{\"program\":\"p\",\"console\":\"integratedTerminal\"}");
	CHECK_STR(a.console, "integratedTerminal");
	dap_args_launch_free(&a);
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"console\":\"tty\"}",
		   "launch: console \"tty\" is not supported (supported: "
		   "\"internalConsole\", the default, \"integratedTerminal\" "
		   "and \"externalTerminal\")");
}

static void test_restart(void)
{
	dap_args_launch a;
	int given = -1;
	gd_err err = GD_ERR_INIT;
	cJSON *j = J("{}");
	CHECK_INT(dap_args_restart_parse(j, 0, &a, &given, &err), 0);
	CHECK_INT(given, 0);
	cJSON_Delete(j);
	j = J("{\"arguments\":{\"program\":\"/p\",\"mode\":\"exec\","
	      "\"args\":[\"x\"]}}");
	CHECK_INT(dap_args_restart_parse(j, 0, &a, &given, &err), 0);
	cJSON_Delete(j);
	CHECK_INT(given, 1);
	CHECK_STR(a.program, "/p");
	CHECK_INT(a.nargs, 1);
	dap_args_launch_free(&a);
	j = J("{\"arguments\":{\"processId\":12}}");
	CHECK_INT(dap_args_restart_parse(j, 1, &a, &given, &err), 0);
	cJSON_Delete(j);
	CHECK_INT(a.process_id, 12);
	dap_args_launch_free(&a);
	j = J("{\"arguments\":{\"mode\":\"exec\"}}");
	CHECK_INT(dap_args_restart_parse(j, 0, &a, &given, &err), -1);
	CHECK_STR(err.msg, "restart: launch: 'program' is required");
	gd_err_clear(&err);
	cJSON_Delete(j);
	j = J("{\"arguments\":[]}");
	CHECK_INT(dap_args_restart_parse(j, 0, &a, &given, &err), -1);
	CHECK_STR(err.msg, "restart: 'arguments' must be an object (a launch "
		  "or attach configuration), not an array");
	gd_err_clear(&err);
	cJSON_Delete(j);
}

static void test_go_version_warning(void)
{
	char *w = dap_go_version_warning("go1.21.13");
	CHECK_STR(w, "warning: this program was built by go1.21.13, older "
		  "than the Go versions godap supports (1.22 to 1.27): "
		  "goroutines, stacks and values may be shown wrong or not "
		  "at all\n");
	free(w);
	w = dap_go_version_warning("go1.28rc1");
	CHECK(w && strstr(w, "newer") && strstr(w, "go1.28rc1"));
	free(w);
	CHECK(dap_go_version_warning("go1.22.12") == NULL);
	CHECK(dap_go_version_warning("go1.27.4") == NULL);
	CHECK(dap_go_version_warning("go1.26") == NULL);
	CHECK(dap_go_version_warning("devel go1.28-abcdef") == NULL);
	CHECK(dap_go_version_warning("") == NULL);
	CHECK(dap_go_version_warning(NULL) == NULL);
}

/* ---- the requests and launch attributes of the DAP surface ---- */

static void test_surface_launch(void)
{
	dap_args_launch a;
	PARSE_OK(dap_args_launch_parse, &a,
		 "{\"program\":\"p\",\"disassembleFlavor\":\"intel\","
		 "\"maxStringLen\":5,\"maxArrayValues\":3,"
		 "\"goroutineFilters\":\"-with user\","
		 "\"showPprofLabels\":[\"job\",\"x\"]}");
	CHECK_STR(a.disassemble_flavor, "intel");
	CHECK_INT(a.max_string_len, 5);
	CHECK_INT(a.max_array_values, 3);
	CHECK_STR(a.goroutine_filters, "-with user");
	CHECK_INT(a.show_pprof_labels, 1);
	CHECK_INT((int)a.npprof_label_keys, 2);
	CHECK_STR(a.pprof_label_keys[1], "x");
	dap_args_launch_free(&a);
	PARSE_OK(dap_args_launch_parse, &a,
		 "{\"program\":\"p\",\"showPprofLabels\":[\"*\"]}");
	CHECK_INT(a.show_pprof_labels, 1);
	CHECK_INT((int)a.npprof_label_keys, 0);
	dap_args_launch_free(&a);
	PARSE_OK(dap_args_launch_parse, &a,
		 "{\"program\":\"p\",\"showPprofLabels\":true}");
	CHECK_INT(a.show_pprof_labels, 1);
	dap_args_launch_free(&a);
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"disassembleFlavor\":\"masm\"}",
		   "launch: 'disassembleFlavor' must be \"go\", \"intel\" or "
		   "\"gnu\", not \"masm\"");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"maxStringLen\":0}",
		   "launch: 'maxStringLen' must be at least 1 (got 0)");
	PARSE_FAIL(dap_args_launch_parse, dap_args_launch,
		   "{\"program\":\"p\",\"showPprofLabels\":\"job\"}",
		   "launch: 'showPprofLabels' must be true, false or an array "
		   "of label keys, not a string");
}

static void test_write_memory(void)
{
	dap_args_write_memory a;
	PARSE_OK(dap_args_write_memory_parse, &a,
		 "{\"memoryReference\":\"0x10\",\"offset\":-2,"
		 "\"data\":\"3q2+7w==\",\"allowPartial\":true}");
	CHECK_STR(a.memory_reference, "0x10");
	CHECK_INT((int)a.offset, -2);
	CHECK_INT(a.allow_partial, 1);
	CHECK_INT((int)a.ndata, 4);
	CHECK_INT(a.data[0], 0xde);
	CHECK_INT(a.data[3], 0xef);
	dap_args_write_memory_free(&a);
	PARSE_OK(dap_args_write_memory_parse, &a,
		 "{\"memoryReference\":\"0x10\",\"data\":\"\"}");
	CHECK_INT((int)a.ndata, 0);
	dap_args_write_memory_free(&a);
	PARSE_FAIL(dap_args_write_memory_parse, dap_args_write_memory,
		   "{\"memoryReference\":\"0x10\",\"data\":\"!!\"}",
		   "writeMemory: 'data' must be base64");
	PARSE_FAIL(dap_args_write_memory_parse, dap_args_write_memory,
		   "{\"memoryReference\":\"0x10\"}",
		   "writeMemory: 'data' is required");
}

static void test_completions(void)
{
	dap_args_completions a;
	PARSE_OK(dap_args_completions_parse, &a,
		 "{\"text\":\"p.N\",\"column\":4,\"frameId\":7}");
	CHECK_STR(a.text, "p.N");
	CHECK_INT(a.column, 4);
	CHECK_INT(a.has_frame_id, 1);
	CHECK_INT(a.frame_id, 7);
	dap_args_completions_free(&a);
	PARSE_FAIL(dap_args_completions_parse, dap_args_completions,
		   "{\"text\":\"p\"}", "completions: 'column' is required");
}

static void test_goto_and_friends(void)
{
	dap_args_step_in_targets st;
	PARSE_OK(dap_args_step_in_targets_parse, &st, "{\"frameId\":3}");
	CHECK_INT(st.frame_id, 3);
	PARSE_FAIL(dap_args_step_in_targets_parse, dap_args_step_in_targets,
		   "{}", "stepInTargets: 'frameId' is required");
	dap_args_step sp;
	PARSE_OK(dap_args_step_in_parse, &sp, "{\"threadId\":1,\"targetId\":4}");
	CHECK_INT(sp.target_id, 4);
	dap_args_step_free(&sp);
	PARSE_FAIL(dap_args_step_in_parse, dap_args_step,
		   "{\"threadId\":1,\"targetId\":0}",
		   "stepIn: 'targetId' must be at least 1 (got 0)");
	dap_args_goto_targets gt;
	PARSE_OK(dap_args_goto_targets_parse, &gt,
		 "{\"source\":{\"path\":\"/a.go\"},\"line\":9}");
	CHECK_STR(gt.source_path, "/a.go");
	CHECK_INT(gt.line, 9);
	dap_args_goto_targets_free(&gt);
	PARSE_FAIL(dap_args_goto_targets_parse, dap_args_goto_targets,
		   "{\"line\":9}", "gotoTargets: 'source' is required");
	dap_args_goto g;
	PARSE_OK(dap_args_goto_parse, &g, "{\"threadId\":1,\"targetId\":2}");
	CHECK_INT((int)g.thread_id, 1);
	CHECK_INT(g.target_id, 2);
	PARSE_FAIL(dap_args_goto_parse, dap_args_goto, "{\"threadId\":1}",
		   "goto: 'targetId' is required");
	dap_args_cancel c;
	PARSE_OK(dap_args_cancel_parse, &c, "{\"requestId\":12}");
	CHECK_INT(c.has_request_id, 1);
	CHECK_INT(c.request_id, 12);
	dap_args_cancel_free(&c);
	PARSE_OK(dap_args_cancel_parse, &c, NULL);
	CHECK_INT(c.has_request_id, 0);
	dap_args_cancel_free(&c);
	PARSE_FAIL(dap_args_cancel_parse, dap_args_cancel,
		   "{\"requestId\":\"x\"}",
		   "cancel: 'requestId' must be an integer, not a string");
}

int main(void)
{
	test_go_version_warning();
	test_launch_console();
	test_restart();
	test_env_file_parse();
	test_launch_env_file();
	test_surface_launch();
	test_write_memory();
	test_completions();
	test_goto_and_friends();
	test_initialize();
	test_launch_minimal();
	test_launch_full();
	test_launch_mode();
	test_launch_invalid();
	test_build_flags_string();
	test_attach();
	test_set_breakpoints();
	test_set_function_breakpoints();
	test_set_exception_breakpoints();
	test_threads();
	test_stack_trace();
	test_scopes();
	test_variables();
	test_step();
	test_evaluate();
	test_set_variable();
	test_set_expression();
	test_disconnect();
	test_source();
	test_exception_info();
	test_set_instruction_breakpoints();
	test_breakpoint_locations();
	test_disassemble();
	test_read_memory();
	test_data_breakpoints();
	test_wrong_shapes();
	return GD_TEST_SUMMARY();
}
