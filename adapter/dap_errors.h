/* The DAP error ids (body.error.id of a failed response) and which
 * failures are shown to the user; which request fails with which id is
 * said in the request table (dap_handlers.c).  The numbers are Delve's
 * (service/dap/error_ids.go) where Delve has the kind, so clients and
 * users of both see the same ids; godap's own kinds fill the gaps.
 *
 * showUser is true only where the user must act: a launch, attach, build
 * or restart that failed.  A failed hover, watch, variables or stepping
 * request is quiet (the client shows the message where the value or the
 * console is, without a notification). */
#ifndef DAP_ERRORS_H
#define DAP_ERRORS_H

enum dap_err_id {
	DAP_ERR_AUTO = 0,             /* by the request's command (dap_err_for) */
	/* the program could not be started or reached: the user acts */
	DAP_ERR_LAUNCH = 3000,        /* FailedToLaunch */
	DAP_ERR_ATTACH = 3001,        /* FailedToAttach */
	DAP_ERR_INITIALIZE = 3002,    /* FailedToInitialize */
	DAP_ERR_BUILD = 3003,         /* go build / go test -c failed (godap) */
	/* a request about the stopped program failed: quiet */
	DAP_ERR_BREAKPOINTS = 2002,   /* UnableToSetBreakpoints */
	DAP_ERR_THREADS = 2003,       /* UnableToDisplayThreads */
	DAP_ERR_STACK = 2004,         /* UnableToProduceStackTrace */
	DAP_ERR_SCOPES = 2005,        /* UnableToListLocals */
	DAP_ERR_VARIABLES = 2008,     /* UnableToLookupVariable */
	DAP_ERR_EVALUATE = 2009,      /* UnableToEvaluateExpression */
	DAP_ERR_PAUSE = 2010,         /* UnableToHalt */
	DAP_ERR_EXCEPTION_INFO = 2011,/* UnableToGetExceptionInfo */
	DAP_ERR_SET_VARIABLE = 2012,  /* UnableToSetVariable */
	DAP_ERR_DISASSEMBLE = 2013,   /* UnableToDisassemble */
	DAP_ERR_READ_MEMORY = 2016,   /* UnableToReadMemory */
	DAP_ERR_DATA_BREAKPOINT = 2017, /* UnableToGetDataBreakpointInfo */
	DAP_ERR_WRITE_MEMORY = 2018,  /* UnableToWriteMemory */
	DAP_ERR_RUN = 2019,           /* continue/next/step... failed (godap) */
	DAP_ERR_COMPLETIONS = 2020,   /* godap */
	DAP_ERR_SOURCE = 2021,        /* source, loadedSources, modules (godap) */
	/* the state of the session does not allow the request: quiet */
	DAP_ERR_RUNNING = 4000,       /* DebuggeeIsRunning: needs a stopped program */
	DAP_ERR_CORE = 4001,          /* a core file cannot run or change (godap) */
	DAP_ERR_DISCONNECT = 5000,    /* DisconnectError (also terminate) */
	DAP_ERR_INTERNAL = 8888,      /* InternalError: any other request */
	DAP_ERR_UNSUPPORTED = 9999,   /* UnsupportedCommand */
};

struct dap_session;

/* The id and showUser of a failed `command` (NULL: not known) in the
 * session's current state, for an error response made with DAP_ERR_AUTO. */
int dap_err_for(const struct dap_session *s, const char *command,
		int *show_user);
/* showUser of an explicit id. */
int dap_err_shows(int id);

#endif
