/* Typed request arguments: one parse function per DAP request turns the
 * request's "arguments" (cJSON, may be NULL) into a plain C struct and
 * validates it.  Handlers never read cJSON arguments themselves.
 *
 * Rules common to every parser:
 *  - int dap_args_X_parse(const cJSON *args, dap_args_X *out, gd_err *err)
 *    returns 0, or -1 with a message naming the request and the field
 *    ("launch: 'program' is required", "stackTrace: 'threadId' must be an
 *    integer", "setBreakpoints: 'breakpoints[1].line' must be at least 0").
 *    On -1 nothing is left allocated in *out (no free needed, harmless).
 *  - Strings are heap copies (the cJSON may be freed); optional strings
 *    that were not given are NULL.  dap_args_X_free releases them.
 *  - Missing optional fields take DAP's defaults; a JSON null counts as
 *    missing.  Unknown fields are ignored.
 *  - Integers must be whole JSON numbers (1.5 is refused) in range;
 *    counts (levels, count, instructionCount...) are never negative and
 *    at most DAP_ARGS_MAX_COUNT.
 *  - Handle-like numbers (frameId, variablesReference, sourceReference)
 *    are int in 0..INT_MAX (DAP's range); thread ids are int64_t >= 0. */
#ifndef DAP_ARGS_H
#define DAP_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "gd_err.h"

#define DAP_ARGS_MAX_COUNT 1000000
#define DAP_ARGS_MAX_READ_MEMORY (16 << 20) /* readMemory 'count' */
#define DAP_ARGS_DEFAULT_STACK_DEPTH 50
#define DAP_ARGS_DEFAULT_CALL_TIMEOUT 10 /* seconds */
/* An optional boolean that was not given (tri-state fields). */
#define DAP_ARGS_UNSET (-1)

/* ---- initialize ---- */
typedef struct dap_args_initialize {
	char *client_id, *client_name, *adapter_id, *locale;
	char *path_format;          /* "path" (default) or "uri" */
	int lines_start_at1;        /* default 1 */
	int columns_start_at1;      /* default 1 */
	int supports_variable_type, supports_variable_paging;
	int supports_run_in_terminal_request, supports_memory_references;
	int supports_progress_reporting, supports_invalidated_event;
	int supports_memory_event, supports_args_can_be_interpreted_by_shell;
	int supports_start_debugging_request;
} dap_args_initialize;
int dap_args_initialize_parse(const cJSON *args, dap_args_initialize *out,
			      gd_err *err);
void dap_args_initialize_free(dap_args_initialize *a);

/* ---- launch / attach (one struct: the session keeps it as its config) */
typedef struct dap_args_env_var {
	char *name;
	char *value; /* NULL: unset the variable */
} dap_args_env_var;

typedef struct dap_args_subst {
	char *from, *to; /* client (editor) path prefix -> binary path prefix */
} dap_args_subst;

typedef struct dap_args_launch {
	int attach;        /* 1 when filled by dap_args_attach_parse */
	/* launch: "debug" (default), "exec" or "test" ("auto" is resolved
	 * to "test" for a *_test.go program, else "debug");
	 * "core" opens coreFilePath, a core dump of program;
	 * attach: "local".  Never NULL after a successful parse. */
	char *mode;
	char *corefile_path; /* mode "core": required, non-empty */
	char *program;     /* launch: required, non-empty; attach: NULL */
	char **args;       /* program arguments */
	size_t nargs;
	char *cwd;
	/* 'envFile' (one path or a list; later files win) merged with
	 * 'env' (which wins): one entry per name. */
	dap_args_env_var *env;
	size_t nenv;
	char **build_flags; /* a string is split on blanks, quotes kept */
	size_t nbuild_flags;
	int stop_on_entry;
	dap_args_subst *substitute_path;
	size_t nsubstitute_path;
	int hide_system_goroutines;
	/* next/stepIn/stepOut run the stepped goroutine's thread alone, the
	 * others held stopped (gdb's scheduler-locking step); default off */
	int step_holds_others;
	int show_global_variables;
	int show_registers;
	int stack_trace_depth; /* default 50, 1..DAP_ARGS_MAX_COUNT */
	int call_timeout;      /* seconds a function call may take; 10 */
	char *output;          /* where to put the built binary, or NULL */
	int no_debug;
	int process_id;        /* attach: > 0, or 0 with wait_for */
	/* attach: the first process whose command line starts with this,
	 * or whose executable's name is this (Delve's waitFor), polled for
	 * until it starts.  NULL with processId. */
	char *wait_for;
	/* launch: "internalConsole" (default), "integratedTerminal" or
	 * "externalTerminal".  Never NULL after a successful launch parse. */
	char *console;
	/* Delve's names: "go" (default), "intel", "gnu" ("att" accepted). */
	char *disassemble_flavor;
	int max_string_len;    /* 0: godap's default */
	int max_array_values;  /* 0: godap's default */
	char *goroutine_filters; /* Delve's -with/-without/-group syntax */
	/* showPprofLabels: true (every label), or the label keys to show */
	int show_pprof_labels;
	char **pprof_label_keys;
	size_t npprof_label_keys;
} dap_args_launch;
int dap_args_launch_parse(const cJSON *args, dap_args_launch *out,
			  gd_err *err);
/* attach: mode ("local"), processId (integer or numeric string) or
 * waitFor (a non-empty string), and the shared disassembleFlavor,
 * maxStringLen, maxArrayValues, goroutineFilters, showPprofLabels, cwd,
 * substitutePath, stopOnEntry, hideSystemGoroutines,
 * showGlobalVariables, showRegisters, stackTraceDepth. */
int dap_args_attach_parse(const cJSON *args, dap_args_launch *out,
			  gd_err *err);
void dap_args_launch_free(dap_args_launch *a);

/* restart: 'arguments', when given, is a whole new launch (attach when
 * `attach`) configuration, parsed as by launch/attach into *out
 * (*given = 1); else *given = 0 and *out holds nothing. */
int dap_args_restart_parse(const cJSON *args, int attach,
			   dap_args_launch *out, int *given, gd_err *err);

/* The variables of an env file (vscode-go's envFile): one KEY=VALUE a
 * line, blank lines and lines starting with '#' skipped, an optional
 * leading `export `, values unquoted (a ' #' starts a comment, blanks
 * around are dropped), in '...' (literal) or "..." (\n \t \r \" \\
 * escapes).  A later line wins over an earlier one of the same name.
 * `name` only words the messages ("FILE line N: ...").  On -1 nothing is
 * left in *vars. */
int dap_args_env_file_parse(const char *text, size_t len, const char *name,
			    dap_args_env_var **vars, size_t *n, gd_err *err);
void dap_args_env_free(dap_args_env_var *vars, size_t n);

/* Splits a buildFlags string on blanks; '...' and "..." group words and
 * are removed (no escapes).  Exposed for tests. */
int dap_args_split_flags(const char *s, char ***out, size_t *n, gd_err *err);

/* ---- setBreakpoints ---- */
typedef struct dap_args_source_breakpoint {
	int line;   /* required */
	int column; /* 0: not given */
	char *condition, *hit_condition, *log_message;
} dap_args_source_breakpoint;

typedef struct dap_args_set_breakpoints {
	char *source_path; /* required */
	char *source_name;
	int source_reference;
	dap_args_source_breakpoint *breakpoints; /* also from legacy 'lines' */
	size_t nbreakpoints;
	int source_modified;
} dap_args_set_breakpoints;
int dap_args_set_breakpoints_parse(const cJSON *args,
				   dap_args_set_breakpoints *out, gd_err *err);
void dap_args_set_breakpoints_free(dap_args_set_breakpoints *a);

/* ---- setFunctionBreakpoints ---- */
typedef struct dap_args_function_breakpoint {
	char *name; /* required */
	char *condition, *hit_condition;
} dap_args_function_breakpoint;

typedef struct dap_args_set_function_breakpoints {
	dap_args_function_breakpoint *breakpoints;
	size_t nbreakpoints;
} dap_args_set_function_breakpoints;
int dap_args_set_function_breakpoints_parse(
	const cJSON *args, dap_args_set_function_breakpoints *out, gd_err *err);
void dap_args_set_function_breakpoints_free(
	dap_args_set_function_breakpoints *a);

/* ---- setExceptionBreakpoints ---- */
typedef struct dap_args_exception_filter_option {
	char *filter_id; /* required */
	char *condition;
} dap_args_exception_filter_option;

typedef struct dap_args_set_exception_breakpoints {
	char **filters; /* required (may be empty) */
	size_t nfilters;
	dap_args_exception_filter_option *filter_options;
	size_t nfilter_options;
} dap_args_set_exception_breakpoints;
int dap_args_set_exception_breakpoints_parse(
	const cJSON *args, dap_args_set_exception_breakpoints *out,
	gd_err *err);
void dap_args_set_exception_breakpoints_free(
	dap_args_set_exception_breakpoints *a);

/* ---- requests without arguments (threads, configurationDone,
 * loadedSources, modules, terminate) ---- */
/* Only checks that args is absent or an object; command names the request
 * in the message. */
int dap_args_none_parse(const char *command, const cJSON *args, gd_err *err);

/* ---- stackTrace ---- */
typedef struct dap_args_stack_frame_format {
	int given; /* 'format' was present */
	int parameters, parameter_types, parameter_names, parameter_values;
	int line, module, include_all;
} dap_args_stack_frame_format;

typedef struct dap_args_stack_trace {
	int64_t thread_id; /* required */
	int start_frame;   /* default 0 */
	int levels;        /* default 0: all */
	dap_args_stack_frame_format format;
} dap_args_stack_trace;
int dap_args_stack_trace_parse(const cJSON *args, dap_args_stack_trace *out,
			       gd_err *err);
void dap_args_stack_trace_free(dap_args_stack_trace *a); /* nothing held */

/* ---- scopes ---- */
typedef struct dap_args_scopes {
	int frame_id; /* required */
} dap_args_scopes;
int dap_args_scopes_parse(const cJSON *args, dap_args_scopes *out,
			  gd_err *err);
void dap_args_scopes_free(dap_args_scopes *a);

/* ---- variables ---- */
typedef enum dap_args_var_filter {
	DAP_VARS_ALL,     /* no filter */
	DAP_VARS_INDEXED,
	DAP_VARS_NAMED,
} dap_args_var_filter;

typedef struct dap_args_variables {
	int variables_reference; /* required, > 0 */
	dap_args_var_filter filter;
	int start; /* default 0 */
	int count; /* default 0: all */
	int format_hex;
} dap_args_variables;
int dap_args_variables_parse(const cJSON *args, dap_args_variables *out,
			     gd_err *err);
void dap_args_variables_free(dap_args_variables *a);

/* ---- continue / next / stepIn / stepOut / pause ---- */
typedef struct dap_args_step {
	int64_t thread_id; /* required */
	int single_thread;
	/* NULL (default: "statement"), "statement", "line" or
	 * "instruction"; only next/stepIn/stepOut read it */
	char *granularity;
	int target_id; /* stepIn: a stepInTargets id, 0 when not given */
} dap_args_step;
int dap_args_continue_parse(const cJSON *args, dap_args_step *out,
			    gd_err *err);
int dap_args_next_parse(const cJSON *args, dap_args_step *out, gd_err *err);
int dap_args_step_in_parse(const cJSON *args, dap_args_step *out,
			   gd_err *err);
int dap_args_step_out_parse(const cJSON *args, dap_args_step *out,
			    gd_err *err);
int dap_args_pause_parse(const cJSON *args, dap_args_step *out, gd_err *err);
void dap_args_step_free(dap_args_step *a);

/* ---- evaluate ---- */
typedef struct dap_args_evaluate {
	char *expression; /* required */
	int has_frame_id;
	int frame_id;
	char *context;    /* "watch", "repl", "hover", "clipboard",
			   * "variables"... or NULL */
	int format_hex;
} dap_args_evaluate;
int dap_args_evaluate_parse(const cJSON *args, dap_args_evaluate *out,
			    gd_err *err);
void dap_args_evaluate_free(dap_args_evaluate *a);

/* ---- setVariable ---- */
typedef struct dap_args_set_variable {
	int variables_reference; /* required, > 0 */
	char *name, *value;      /* required */
	int format_hex;
} dap_args_set_variable;
int dap_args_set_variable_parse(const cJSON *args,
				dap_args_set_variable *out, gd_err *err);
void dap_args_set_variable_free(dap_args_set_variable *a);

/* ---- setExpression ---- */
typedef struct dap_args_set_expression {
	char *expression, *value; /* required */
	int has_frame_id;
	int frame_id;
	int format_hex;
} dap_args_set_expression;
int dap_args_set_expression_parse(const cJSON *args,
				  dap_args_set_expression *out, gd_err *err);
void dap_args_set_expression_free(dap_args_set_expression *a);

/* ---- disconnect / terminate ---- */
typedef struct dap_args_disconnect {
	int restart;            /* 0/1, DAP_ARGS_UNSET when not given */
	int terminate_debuggee; /* idem */
	int suspend_debuggee;   /* idem */
} dap_args_disconnect;
int dap_args_disconnect_parse(const cJSON *args, dap_args_disconnect *out,
			      gd_err *err);
void dap_args_disconnect_free(dap_args_disconnect *a); /* nothing held */

/* ---- source ---- */
typedef struct dap_args_source {
	int source_reference; /* sourceReference, else source.sourceReference */
	char *source_path;    /* source.path or NULL */
} dap_args_source;
int dap_args_source_parse(const cJSON *args, dap_args_source *out,
			  gd_err *err);
void dap_args_source_free(dap_args_source *a);

/* ---- exceptionInfo ---- */
typedef struct dap_args_exception_info {
	int64_t thread_id; /* required */
} dap_args_exception_info;
int dap_args_exception_info_parse(const cJSON *args,
				  dap_args_exception_info *out, gd_err *err);
void dap_args_exception_info_free(dap_args_exception_info *a);

/* ---- setInstructionBreakpoints ---- */
typedef struct dap_args_instruction_breakpoint {
	char *instruction_reference; /* required */
	int64_t offset;              /* bytes, may be negative */
	char *condition, *hit_condition;
} dap_args_instruction_breakpoint;

typedef struct dap_args_set_instruction_breakpoints {
	dap_args_instruction_breakpoint *breakpoints;
	size_t nbreakpoints;
} dap_args_set_instruction_breakpoints;
int dap_args_set_instruction_breakpoints_parse(
	const cJSON *args, dap_args_set_instruction_breakpoints *out,
	gd_err *err);
void dap_args_set_instruction_breakpoints_free(
	dap_args_set_instruction_breakpoints *a);

/* ---- breakpointLocations ---- */
typedef struct dap_args_breakpoint_locations {
	char *source_path; /* required */
	int line;          /* required */
	int end_line, column, end_column; /* 0: not given */
} dap_args_breakpoint_locations;
int dap_args_breakpoint_locations_parse(const cJSON *args,
					dap_args_breakpoint_locations *out,
					gd_err *err);
void dap_args_breakpoint_locations_free(dap_args_breakpoint_locations *a);

/* ---- disassemble ---- */
typedef struct dap_args_disassemble {
	char *memory_reference;     /* required */
	int64_t offset;             /* bytes, may be negative */
	int64_t instruction_offset; /* may be negative */
	int instruction_count;      /* required, 0..DAP_ARGS_MAX_COUNT */
	int resolve_symbols;
} dap_args_disassemble;
int dap_args_disassemble_parse(const cJSON *args, dap_args_disassemble *out,
			       gd_err *err);
void dap_args_disassemble_free(dap_args_disassemble *a);

/* ---- readMemory ---- */
typedef struct dap_args_read_memory {
	char *memory_reference; /* required */
	int64_t offset;         /* may be negative */
	int count;              /* required, 0..DAP_ARGS_MAX_READ_MEMORY */
} dap_args_read_memory;
int dap_args_read_memory_parse(const cJSON *args, dap_args_read_memory *out,
			       gd_err *err);
void dap_args_read_memory_free(dap_args_read_memory *a);

/* A memory reference as godap writes them ("0x1234"; decimal accepted)
 * -> address.  Message names what was wrong. */
int dap_args_memory_reference(const char *ref, uint64_t *addr, gd_err *err);

/* ---- writeMemory ---- */
typedef struct dap_args_write_memory {
	char *memory_reference; /* required */
	int64_t offset;         /* may be negative */
	int allow_partial;
	uint8_t *data;          /* decoded from base64 'data' (required) */
	size_t ndata;
} dap_args_write_memory;
int dap_args_write_memory_parse(const cJSON *args, dap_args_write_memory *out,
				gd_err *err);
void dap_args_write_memory_free(dap_args_write_memory *a);

/* ---- completions ---- */
typedef struct dap_args_completions {
	char *text;   /* required */
	int column;   /* required, as the client counts (1-based default) */
	int line;     /* 0: not given */
	int has_frame_id;
	int frame_id;
} dap_args_completions;
int dap_args_completions_parse(const cJSON *args, dap_args_completions *out,
			       gd_err *err);
void dap_args_completions_free(dap_args_completions *a);

/* ---- stepInTargets ---- */
typedef struct dap_args_step_in_targets {
	int frame_id; /* required */
} dap_args_step_in_targets;
int dap_args_step_in_targets_parse(const cJSON *args,
				   dap_args_step_in_targets *out, gd_err *err);
void dap_args_step_in_targets_free(dap_args_step_in_targets *a);

/* ---- gotoTargets ---- */
typedef struct dap_args_goto_targets {
	char *source_path; /* required */
	int line;          /* required */
} dap_args_goto_targets;
int dap_args_goto_targets_parse(const cJSON *args,
				dap_args_goto_targets *out, gd_err *err);
void dap_args_goto_targets_free(dap_args_goto_targets *a);

/* ---- goto ---- */
typedef struct dap_args_goto {
	int64_t thread_id; /* required */
	int target_id;     /* required */
} dap_args_goto;
int dap_args_goto_parse(const cJSON *args, dap_args_goto *out, gd_err *err);
void dap_args_goto_free(dap_args_goto *a);

/* ---- cancel ---- */
typedef struct dap_args_cancel {
	int has_request_id;
	int request_id;
	char *progress_id;
} dap_args_cancel;
int dap_args_cancel_parse(const cJSON *args, dap_args_cancel *out,
			  gd_err *err);
void dap_args_cancel_free(dap_args_cancel *a);

/* ---- dataBreakpointInfo ---- */
typedef struct dap_args_data_breakpoint_info {
	int has_variables_reference;
	int variables_reference;
	char *name; /* required */
	int has_frame_id;
	int frame_id;
} dap_args_data_breakpoint_info;
int dap_args_data_breakpoint_info_parse(const cJSON *args,
					dap_args_data_breakpoint_info *out,
					gd_err *err);
void dap_args_data_breakpoint_info_free(dap_args_data_breakpoint_info *a);

/* ---- setDataBreakpoints ---- */
typedef struct dap_args_data_breakpoint {
	char *data_id;     /* required */
	char *access_type; /* NULL, "read", "write" or "readWrite" */
	char *condition, *hit_condition;
} dap_args_data_breakpoint;

typedef struct dap_args_set_data_breakpoints {
	dap_args_data_breakpoint *breakpoints; /* required (may be empty) */
	size_t nbreakpoints;
} dap_args_set_data_breakpoints;
int dap_args_set_data_breakpoints_parse(const cJSON *args,
					dap_args_set_data_breakpoints *out,
					gd_err *err);
void dap_args_set_data_breakpoints_free(dap_args_set_data_breakpoints *a);

#endif
