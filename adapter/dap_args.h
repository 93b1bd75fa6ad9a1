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

/* ---- the parsers ----
 * Each request's arguments are described by a type (a table of its
 * fields, dap_args.c); one parser and one freer serve them all. */
typedef struct dap_args_type dap_args_type;
/* out points to the type's struct (dap_args_size bytes). */
int dap_args_parse(const dap_args_type *t, const cJSON *args, void *out,
		   gd_err *err);
/* Frees what a parse of t (or of any type of the same struct) filled and
 * resets *a to the defaults; harmless on a reset struct. */
void dap_args_free(const dap_args_type *t, void *a);
size_t dap_args_size(const dap_args_type *t);

/* dap_args_<name>_type, and the typed
 * int dap_args_<name>_parse(const cJSON *args, T *out, gd_err *err). */
#define DAP_ARGS_PARSER(name, T)                                               \
	extern const dap_args_type dap_args_##name##_type;                     \
	static inline int dap_args_##name##_parse(const cJSON *args, T *out,   \
						  gd_err *err)                 \
	{                                                                      \
		return dap_args_parse(&dap_args_##name##_type, args, out, err); \
	}
/* void dap_args_<name>_free(T *a), through the type `type`. */
#define DAP_ARGS_FREER(name, T, type)                                          \
	static inline void dap_args_##name##_free(T *a)                        \
	{                                                                      \
		dap_args_free(&dap_args_##type##_type, a);                     \
	}

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
	/* ebpfConditions: conditions compiled to eBPF run in the kernel
	 * (debugger/dbg_ebpf.c); default on */
	int ebpf_conditions;
	/* ebpfJumpPads: a kernel condition on an instruction the kernel
	 * would single-step runs from a jump pad (core/core_pad.c); default
	 * on */
	int ebpf_jump_pads;
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

/* ---- setFunctionBreakpoints ---- */
typedef struct dap_args_function_breakpoint {
	char *name; /* required */
	char *condition, *hit_condition;
} dap_args_function_breakpoint;

typedef struct dap_args_set_function_breakpoints {
	dap_args_function_breakpoint *breakpoints;
	size_t nbreakpoints;
} dap_args_set_function_breakpoints;

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

/* ---- scopes ---- */
typedef struct dap_args_scopes {
	int frame_id; /* required */
} dap_args_scopes;

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

/* ---- continue / next / stepIn / stepOut / pause ---- */
typedef struct dap_args_step {
	int64_t thread_id; /* required */
	int single_thread;
	/* NULL (default: "statement"), "statement", "line" or
	 * "instruction"; only next/stepIn/stepOut read it */
	char *granularity;
	int target_id; /* stepIn: a stepInTargets id, 0 when not given */
} dap_args_step;

/* ---- evaluate ---- */
typedef struct dap_args_evaluate {
	char *expression; /* required */
	int has_frame_id;
	int frame_id;
	char *context;    /* "watch", "repl", "hover", "clipboard",
			   * "variables"... or NULL */
	int format_hex;
} dap_args_evaluate;

/* ---- setVariable ---- */
typedef struct dap_args_set_variable {
	int variables_reference; /* required, > 0 */
	char *name, *value;      /* required */
	int format_hex;
} dap_args_set_variable;

/* ---- setExpression ---- */
typedef struct dap_args_set_expression {
	char *expression, *value; /* required */
	int has_frame_id;
	int frame_id;
	int format_hex;
} dap_args_set_expression;

/* ---- disconnect / terminate ---- */
typedef struct dap_args_disconnect {
	int restart;            /* 0/1, DAP_ARGS_UNSET when not given */
	int terminate_debuggee; /* idem */
	int suspend_debuggee;   /* idem */
} dap_args_disconnect;

/* ---- source ---- */
typedef struct dap_args_source {
	int source_reference; /* sourceReference, else source.sourceReference */
	char *source_path;    /* source.path or NULL */
} dap_args_source;

/* ---- exceptionInfo ---- */
typedef struct dap_args_exception_info {
	int64_t thread_id; /* required */
} dap_args_exception_info;

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

/* ---- breakpointLocations ---- */
typedef struct dap_args_breakpoint_locations {
	char *source_path; /* required */
	int line;          /* required */
	int end_line, column, end_column; /* 0: not given */
} dap_args_breakpoint_locations;

/* ---- disassemble ---- */
typedef struct dap_args_disassemble {
	char *memory_reference;     /* required */
	int64_t offset;             /* bytes, may be negative */
	int64_t instruction_offset; /* may be negative */
	int instruction_count;      /* required, 0..DAP_ARGS_MAX_COUNT */
	int resolve_symbols;
	uint64_t address;           /* memoryReference + offset */
} dap_args_disassemble;

/* ---- readMemory ---- */
typedef struct dap_args_read_memory {
	char *memory_reference; /* required */
	int64_t offset;         /* may be negative */
	int count;              /* required, 0..DAP_ARGS_MAX_READ_MEMORY */
	uint64_t address;       /* memoryReference + offset */
} dap_args_read_memory;

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
	uint64_t address;       /* memoryReference + offset */
} dap_args_write_memory;

/* ---- completions ---- */
typedef struct dap_args_completions {
	char *text;   /* required */
	int column;   /* required, as the client counts (1-based default) */
	int line;     /* 0: not given */
	int has_frame_id;
	int frame_id;
} dap_args_completions;

/* ---- stepInTargets ---- */
typedef struct dap_args_step_in_targets {
	int frame_id; /* required */
} dap_args_step_in_targets;

/* ---- gotoTargets ---- */
typedef struct dap_args_goto_targets {
	char *source_path; /* required */
	int line;          /* required */
} dap_args_goto_targets;

/* ---- goto ---- */
typedef struct dap_args_goto {
	int64_t thread_id; /* required */
	int target_id;     /* required */
} dap_args_goto;

/* ---- cancel ---- */
typedef struct dap_args_cancel {
	int has_request_id;
	int request_id;
	char *progress_id;
} dap_args_cancel;

/* ---- dataBreakpointInfo ---- */
typedef struct dap_args_data_breakpoint_info {
	int has_variables_reference;
	int variables_reference;
	char *name; /* required */
	int has_frame_id;
	int frame_id;
} dap_args_data_breakpoint_info;

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

/* ---- one parser per request, one freer per struct ---- */
DAP_ARGS_PARSER(initialize, dap_args_initialize)
DAP_ARGS_FREER(initialize, dap_args_initialize, initialize)
DAP_ARGS_PARSER(launch, dap_args_launch)
/* attach: mode ("local"), processId (integer or numeric string) or
 * waitFor (a non-empty string), and the shared disassembleFlavor,
 * maxStringLen, maxArrayValues, goroutineFilters, showPprofLabels, cwd,
 * substitutePath, stopOnEntry, hideSystemGoroutines,
 * showGlobalVariables, showRegisters, stackTraceDepth. */
DAP_ARGS_PARSER(attach, dap_args_launch)
DAP_ARGS_FREER(launch, dap_args_launch, launch)
DAP_ARGS_PARSER(set_breakpoints, dap_args_set_breakpoints)
DAP_ARGS_FREER(set_breakpoints, dap_args_set_breakpoints, set_breakpoints)
DAP_ARGS_PARSER(set_function_breakpoints, dap_args_set_function_breakpoints)
DAP_ARGS_FREER(set_function_breakpoints, dap_args_set_function_breakpoints,
	       set_function_breakpoints)
DAP_ARGS_PARSER(set_exception_breakpoints,
		dap_args_set_exception_breakpoints)
DAP_ARGS_FREER(set_exception_breakpoints, dap_args_set_exception_breakpoints,
	       set_exception_breakpoints)
DAP_ARGS_PARSER(set_instruction_breakpoints,
		dap_args_set_instruction_breakpoints)
DAP_ARGS_FREER(set_instruction_breakpoints,
	       dap_args_set_instruction_breakpoints,
	       set_instruction_breakpoints)
DAP_ARGS_PARSER(breakpoint_locations, dap_args_breakpoint_locations)
DAP_ARGS_FREER(breakpoint_locations, dap_args_breakpoint_locations,
	       breakpoint_locations)
DAP_ARGS_PARSER(data_breakpoint_info, dap_args_data_breakpoint_info)
DAP_ARGS_FREER(data_breakpoint_info, dap_args_data_breakpoint_info,
	       data_breakpoint_info)
DAP_ARGS_PARSER(set_data_breakpoints, dap_args_set_data_breakpoints)
DAP_ARGS_FREER(set_data_breakpoints, dap_args_set_data_breakpoints,
	       set_data_breakpoints)
DAP_ARGS_PARSER(stack_trace, dap_args_stack_trace)
DAP_ARGS_FREER(stack_trace, dap_args_stack_trace, stack_trace)
DAP_ARGS_PARSER(scopes, dap_args_scopes)
DAP_ARGS_FREER(scopes, dap_args_scopes, scopes)
DAP_ARGS_PARSER(variables, dap_args_variables)
DAP_ARGS_FREER(variables, dap_args_variables, variables)
DAP_ARGS_PARSER(evaluate, dap_args_evaluate)
DAP_ARGS_FREER(evaluate, dap_args_evaluate, evaluate)
DAP_ARGS_PARSER(set_variable, dap_args_set_variable)
DAP_ARGS_FREER(set_variable, dap_args_set_variable, set_variable)
DAP_ARGS_PARSER(set_expression, dap_args_set_expression)
DAP_ARGS_FREER(set_expression, dap_args_set_expression, set_expression)
DAP_ARGS_PARSER(exception_info, dap_args_exception_info)
DAP_ARGS_FREER(exception_info, dap_args_exception_info, exception_info)
DAP_ARGS_PARSER(completions, dap_args_completions)
DAP_ARGS_FREER(completions, dap_args_completions, completions)
/* continue and pause read threadId and singleThread only */
DAP_ARGS_PARSER(continue, dap_args_step)
DAP_ARGS_PARSER(pause, dap_args_step)
DAP_ARGS_PARSER(next, dap_args_step)
DAP_ARGS_PARSER(step_in, dap_args_step)
DAP_ARGS_PARSER(step_out, dap_args_step)
DAP_ARGS_FREER(step, dap_args_step, next)
DAP_ARGS_PARSER(step_in_targets, dap_args_step_in_targets)
DAP_ARGS_FREER(step_in_targets, dap_args_step_in_targets, step_in_targets)
DAP_ARGS_PARSER(goto_targets, dap_args_goto_targets)
DAP_ARGS_FREER(goto_targets, dap_args_goto_targets, goto_targets)
DAP_ARGS_PARSER(goto, dap_args_goto)
DAP_ARGS_FREER(goto, dap_args_goto, goto)
DAP_ARGS_PARSER(disconnect, dap_args_disconnect)
DAP_ARGS_FREER(disconnect, dap_args_disconnect, disconnect)
DAP_ARGS_PARSER(cancel, dap_args_cancel)
DAP_ARGS_FREER(cancel, dap_args_cancel, cancel)
DAP_ARGS_PARSER(source, dap_args_source)
DAP_ARGS_FREER(source, dap_args_source, source)
DAP_ARGS_PARSER(disassemble, dap_args_disassemble)
DAP_ARGS_FREER(disassemble, dap_args_disassemble, disassemble)
DAP_ARGS_PARSER(read_memory, dap_args_read_memory)
DAP_ARGS_FREER(read_memory, dap_args_read_memory, read_memory)
DAP_ARGS_PARSER(write_memory, dap_args_write_memory)
DAP_ARGS_FREER(write_memory, dap_args_write_memory, write_memory)

#endif
