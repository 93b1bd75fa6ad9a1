#include "dap_internal.h"
#include "../common/gd_fd.h"
#include "dap_build.h"
#include "dap_utf8.h"
#include "dap_salvage.h"
#include "dap_multiclient.h"
#include "../common/gd_array.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#define DAP_MAX_MESSAGE (64u << 20)

static void drain_sigfd(dap_session *s)
{
	/* SIGCHLD (one pending at most): one read takes what there is (a
	 * full buffer reads again), not a second read that finds nothing. */
	struct signalfd_siginfo si[4];
	while (read(s->sigfd, si, sizeof(si)) == (ssize_t)sizeof(si))
		;
}

/* A pause (or the client leaving) ends a function call under way. */
static int call_interrupted(void *ctx)
{
	dap_session *s = ctx;
	return s->intr_pending || s->done;
}

/* The debugger waits here while a function call runs the program: for a
 * SIGCHLD, reading the program's output meanwhile (a full pipe would
 * block the call). */
static void wait_child(void *ctx, int timeout_ms)
{
	dap_session *s = ctx;
	struct pollfd pf[4];
	int nf = 0;
	pf[nf++] = (struct pollfd){s->sigfd, POLLIN, 0};
	pf[nf++] = (struct pollfd){s->in_fd, POLLIN, 0};
	if (s->tgt && s->tgt->out_fd >= 0)
		pf[nf++] = (struct pollfd){s->tgt->out_fd, POLLIN, 0};
	if (s->tgt && s->tgt->err_fd >= 0)
		pf[nf++] = (struct pollfd){s->tgt->err_fd, POLLIN, 0};
	/* EINTR or a poll failure: the caller looks at the child anyway. */
	if (poll(pf, (nfds_t)nf, timeout_ms) > 0) {
		/* Requests wait for the call, except an interrupt. */
		/* -1: the client is gone; s->done says so, and
		 * call_interrupted ends the call */
		if (pf[1].revents)
			(void)dap_session_take_input(s);
		drain_sigfd(s);
		dap_target_drain_output(s, 0);
	}
}

int dap_session_new(dap_session **out, int in_fd, int out_fd, gd_log *log,
		    gd_err *err)
{
	*out = NULL;
	dap_session *s = calloc(1, sizeof(*s));
	if (!s)
		return gd_err_set(err, "out of memory");
	s->in_fd = in_fd;
	s->out_fd = out_fd;
	s->log = log;
	s->lines_start_at1 = 1;
	s->sigfd = s->termfd = -1;
	if (dap_framing_new(&s->fr, DAP_MAX_MESSAGE, err) < 0) {
		free(s);
		return -1;
	}
	dbg_hooks hooks = {dap_target_on_event, wait_child, call_interrupted, s};
	if (dbg_new(&s->dbg, log, &hooks, err) < 0) {
		dap_session_free(s);
		return -1;
	}
	/* Child stops arrive as SIGCHLD on a signalfd so one poll() serves
	 * the client and the debuggee. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) {
		dap_session_free(s);
		return gd_err_sys(err, "sigprocmask");
	}
	s->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (s->sigfd < 0) {
		dap_session_free(s);
		return gd_err_sys(err, "signalfd");
	}
	/* Being killed politely must not leave int3 bytes in an attached
	 * program (it would die of SIGTRAP at its next hit) nor a launched
	 * one running: these signals end the loop and the usual clean-up
	 * runs.  (SIGKILL cannot be caught: see the README.)  Children get
	 * an empty mask before exec. */
	sigset_t term;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigaddset(&term, SIGINT);
	sigaddset(&term, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &term, NULL) < 0) {
		dap_session_free(s);
		return gd_err_sys(err, "sigprocmask");
	}
	s->termfd = signalfd(-1, &term, SFD_NONBLOCK | SFD_CLOEXEC);
	if (s->termfd < 0) {
		dap_session_free(s);
		return gd_err_sys(err, "signalfd");
	}
	*out = s;
	return 0;
}

void dap_session_free(dap_session *s)
{
	if (!s)
		return;
	if (s->dbg)
		dap_session_end(s);
	dbg_free(s->dbg);
	dap_threads_forget(s);
	dap_sources_free(s);
	grt_gfilter_free(s->gfilter);
	dap_handles_reset(s);
	free(s->handles);
	free(s->hext);
	if (s->have_cfg)
		dap_args_launch_free(&s->cfg);
	cJSON_Delete(s->pending);
	for (size_t i = 0; i < s->ninq; i++)
		free(s->inq[i].body);
	free(s->inq);
	dap_framing_free(s->fr);
	if (s->sigfd >= 0)
		gd_close(s->sigfd);
	if (s->termfd >= 0)
		gd_close(s->termfd);
	free(s);
}

/* The log must not keep what the user put in a launch's environment
 * (tokens, passwords): "env" objects of request arguments are logged
 * with their keys only. */
static void log_message(dap_session *s, const char *dir, const cJSON *msg,
			const char *text, size_t len)
{
	if (!s->log->verbose || !s->log->fp)
		return;
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(msg, "arguments");
	const cJSON *env = cJSON_GetObjectItemCaseSensitive(args, "env");
	char *red = NULL;
	if (cJSON_IsObject(env)) {
		cJSON *copy = cJSON_Duplicate(msg, 1);
		cJSON *cenv = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(copy, "arguments"), "env");
		for (cJSON *e = cenv ? cenv->child : NULL; e; e = e->next) {
			if (cJSON_IsString(e)) {
				if (!cJSON_SetValuestring(e, "(not logged)"))
					cenv = NULL;
			} else if (!cJSON_IsNull(e)) {
				cenv = NULL; /* not a valid env: log none of it */
			}
			if (!cenv)
				break;
		}
		if (!cenv) {
			cJSON_Delete(copy);
			copy = NULL;
		}
		red = copy ? cJSON_PrintUnformatted(copy) : NULL;
		cJSON_Delete(copy);
		if (!red) {
			gd_log_debug(s->log, "%s (a message with env, not logged)",
				     dir);
			return;
		}
		text = red;
		len = strlen(red);
	}
	gd_log_debug(s->log, "%s %.*s", dir, (int)(len > 2000 ? 2000 : len),
		     text);
	free(red);
}

static void send_json(dap_session *s, cJSON *msg)
{
	gd_err err = GD_ERR_INIT;
	cJSON_AddNumberToObject(msg, "seq", ++s->seq);
	char *txt = cJSON_PrintUnformatted(msg);
	if (!txt) {
		gd_log_info(s->log, "cannot serialise a message");
		return;
	}
	if (s->out_fd < 0) {
		/* --accept-multiclient, between clients */
		log_message(s, "-> (no client)", msg, txt, strlen(txt));
		free(txt);
		return;
	}
	if (dap_framing_write(s->out_fd, txt, strlen(txt), &err) < 0) {
		gd_log_info(s->log, "write to client: %s", gd_err_msg(&err));
		gd_err_clear(&err);
		s->done = 1;
	}
	log_message(s, "->", msg, txt, strlen(txt));
	free(txt);
}

static cJSON *response_base(const cJSON *req, int success)
{
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "type", "response");
	const cJSON *seq = cJSON_GetObjectItemCaseSensitive(req, "seq");
	cJSON_AddNumberToObject(m, "request_seq",
				cJSON_IsNumber(seq) ? seq->valuedouble : 0);
	cJSON_AddBoolToObject(m, "success", success);
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(req, "command");
	cJSON_AddStringToObject(m, "command",
				cJSON_IsString(cmd) ? cmd->valuestring : "");
	return m;
}

void dap_respond(dap_session *s, const cJSON *req, cJSON *body)
{
	cJSON *m = response_base(req, 1);
	if (body)
		cJSON_AddItemToObject(m, "body", body);
	send_json(s, m);
	cJSON_Delete(m);
}

/* The message around body is printed by cJSON; body itself (megabytes
 * for a thread list) is written from where it is, not copied into it. */
void dap_respond_raw(dap_session *s, const cJSON *req, const char *body)
{
	cJSON *m = response_base(req, 1);
	char *head = cJSON_PrintUnformatted(m);
	cJSON_Delete(m);
	if (!head) {
		gd_log_info(s->log, "cannot serialise a message");
		return;
	}
	/* head is {...}: the body and seq go before its last brace, in
	 * the order send_json gives (body, then seq). */
	size_t hl = strlen(head);
	char tail[48];
	int tl = snprintf(tail, sizeof(tail), ",\"seq\":%d}", ++s->seq);
	struct iovec parts[4] = {
		{head, hl - 1},
		{(void *)",\"body\":", 8},
		{(void *)body, strlen(body)},
		{tail, (size_t)tl},
	};
	gd_err err = GD_ERR_INIT;
	if (s->out_fd >= 0 && dap_framing_writev(s->out_fd, parts, 4, &err) < 0) {
		gd_log_info(s->log, "write to client: %s", gd_err_msg(&err));
		gd_err_clear(&err);
		s->done = 1;
	}
	if (s->log->verbose && s->log->fp)
		gd_log_debug(s->log, "%s %.*s,\"body\":%.*s",
			     s->out_fd >= 0 ? "->" : "-> (no client)",
			     (int)(hl - 1), head,
			     (int)(parts[2].iov_len > 2000 ? 2000 : parts[2].iov_len),
			     body);
	free(head);
}

void dap_respond_err_id(dap_session *s, const cJSON *req, int id,
			gd_err *err)
{
	dap_respond_error_id(s, req, id, -1, "%s", gd_err_msg(err));
	gd_err_clear(err);
}

void dap_respond_err(dap_session *s, const cJSON *req, gd_err *err)
{
	dap_respond_error(s, req, "%s", gd_err_msg(err));
	gd_err_clear(err);
}

static void respond_error_v(dap_session *s, const cJSON *req, int id,
			    int show_user, const char *fmt, va_list ap)
{
	if (id == DAP_ERR_AUTO) {
		const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(req, "command");
		id = dap_err_for(s, cJSON_IsString(cmd) ? cmd->valuestring : NULL,
				 &show_user);
	} else if (show_user < 0) {
		show_user = dap_err_shows(id);
	}
	char *text = NULL;
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	cJSON *m = response_base(req, 0);
	cJSON_AddStringToObject(m, "message", text ? text : "error");
	cJSON *body = cJSON_AddObjectToObject(m, "body");
	cJSON *e = cJSON_AddObjectToObject(body, "error");
	cJSON_AddNumberToObject(e, "id", id);
	cJSON_AddStringToObject(e, "format", text ? text : "error");
	cJSON_AddBoolToObject(e, "showUser", show_user);
	gd_log_info(s->log, "error response: %s", text ? text : "error");
	send_json(s, m);
	cJSON_Delete(m);
	free(text);
}

int dap_request(dap_session *s, const char *command, cJSON *args)
{
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "type", "request");
	cJSON_AddStringToObject(m, "command", command);
	if (args)
		cJSON_AddItemToObject(m, "arguments", args);
	send_json(s, m);
	cJSON_Delete(m);
	return s->seq;
}

void dap_respond_error(dap_session *s, const cJSON *req, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	respond_error_v(s, req, DAP_ERR_AUTO, 0, fmt, ap);
	va_end(ap);
}

void dap_respond_error_id(dap_session *s, const cJSON *req, int id,
			  int show_user, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	respond_error_v(s, req, id, show_user, fmt, ap);
	va_end(ap);
}

/* Requests that would run or change the program: a core file answers them
 * all with DBG_ERR_IS_CORE.  Breakpoint requests are not here: they are
 * accepted, unverified with that message. */
int dap_corefile_refuses(const char *command)
{
	static const char *const run[] = {
		"continue", "next", "stepIn", "stepOut", "stepBack",
		"reverseContinue", "pause", "setVariable", "setExpression",
		"restartFrame", "goto", "restart", "writeMemory",
	};
	for (size_t i = 0; i < sizeof(run) / sizeof(run[0]); i++)
		if (strcmp(run[i], command) == 0)
			return 1;
	return 0;
}

void dap_event(dap_session *s, const char *event, cJSON *body)
{
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "type", "event");
	cJSON_AddStringToObject(m, "event", event);
	if (body)
		cJSON_AddItemToObject(m, "body", body);
	send_json(s, m);
	cJSON_Delete(m);
}

void dap_output(dap_session *s, const char *category, const char *text,
		size_t len)
{
	char *copy = malloc(len + 1);
	if (!copy)
		return;
	memcpy(copy, text, len);
	copy[len] = '\0';
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "category", category);
	cJSON_AddStringToObject(b, "output", copy);
	dap_event(s, "output", b);
	free(copy);
}

void dap_output_program(dap_session *s, const char *category, char *carry,
			size_t *ncarry, const char *data, size_t len,
			int final)
{
	gd_buf in = GD_BUF_INIT, text = GD_BUF_INIT;
	if (gd_buf_append(&in, carry, *ncarry) < 0 ||
	    gd_buf_append(&in, data, len) < 0) {
		gd_buf_free(&in);
		return;
	}
	size_t used = in.len ? dap_utf8_clean(in.data, in.len, final, &text) : 0;
	*ncarry = in.len - used; /* at most 3 bytes */
	if (*ncarry)
		memcpy(carry, in.data + used, *ncarry);
	if (text.len)
		dap_output(s, category, text.data, text.len);
	gd_buf_free(&in);
	gd_buf_free(&text);
}

/* ---- handles ---- */
int dap_handle_new_ext(dap_session *s, const dap_handle *h,
		       const dap_handle_ext *ext)
{
	if (s->nhandles == s->caphandles) {
		size_t cap = s->caphandles ? s->caphandles * 2 : 64;
		dap_handle *n = realloc(s->handles, cap * sizeof(*n));
		if (!n)
			return 0;
		s->handles = n;
		dap_handle_ext *ne = realloc(s->hext, cap * sizeof(*ne));
		if (!ne)
			return 0;
		s->hext = ne;
		s->caphandles = cap;
	}
	s->hext[s->nhandles] = ext ? *ext : (dap_handle_ext){0, NULL, NULL, {0, 0, 0, 0, 0}};
	s->handles[s->nhandles++] = *h;
	return (int)s->nhandles; /* 0 is never a valid handle */
}

int dap_handle_new(dap_session *s, const dap_handle *h)
{
	return dap_handle_new_ext(s, h, NULL);
}

const dap_handle *dap_handle_get(dap_session *s, int id)
{
	if (id <= 0 || (size_t)id > s->nhandles)
		return NULL;
	return &s->handles[id - 1];
}

const dap_handle_ext *dap_handle_ext_get(dap_session *s, int id)
{
	if (id <= 0 || (size_t)id > s->nhandles)
		return NULL;
	return &s->hext[id - 1];
}

void dap_handles_reset(dap_session *s)
{
	/* stepInTargets ids name calls of the stop that ends here. */
	free(s->stepin_entries);
	s->stepin_entries = NULL;
	s->nstepin_entries = 0;
	free(s->goto_addrs);
	s->goto_addrs = NULL;
	s->ngoto_addrs = 0;
	for (size_t i = 0; i < s->nhandles; i++)
		dap_handle_release(&s->hext[i]);
	s->nhandles = 0;
	s->sel_goid = 0;
}

/* ---- dispatch ---- */

/* A message that is not valid JSON: answered when its seq (and so the
 * request it was) can still be read, logged in any case. */
static void not_json(dap_session *s, const char *body, size_t len)
{
	const char *at = cJSON_GetErrorPtr();
	size_t off = at && at >= body && at <= body + len ? (size_t)(at - body)
							  : len;
	dap_salvage sv;
	if (dap_salvage_scan(body, len, &sv) < 0)
		memset(&sv, 0, sizeof(sv));
	gd_log_info(s->log, "a message that is not valid JSON (near byte %zu "
		    "of %zu)%s", off, len,
		    sv.have_seq && sv.is_request ? ": answered" : ": ignored");
	if (sv.have_seq && sv.is_request) {
		cJSON *req = cJSON_CreateObject();
		if (req) {
			cJSON_AddNumberToObject(req, "seq", (double)sv.seq);
			cJSON_AddStringToObject(req, "command",
						sv.command ? sv.command : "");
			dap_respond_error(s, req, "the request is not valid JSON "
					  "(near byte %zu of %zu)", off, len);
			cJSON_Delete(req);
		}
	}
	dap_salvage_free(&sv);
}
static void handle_message(dap_session *s, const char *body, size_t len)
{
	cJSON *msg = cJSON_ParseWithLength(body, len);
	if (!msg) {
		not_json(s, body, len);
		return;
	}
	log_message(s, "<-", msg, body, len);
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(msg, "type");
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(msg, "command");
	if (cJSON_IsString(type) && strcmp(type->valuestring, "response") == 0) {
		/* The answer to a reverse request (runInTerminal). */
		dap_term_response(s, msg);
	} else if (!cJSON_IsString(type) || strcmp(type->valuestring, "request") != 0) {
		gd_log_info(s->log, "ignoring a message that is not a request");
	} else if (!cJSON_IsString(cmd)) {
		dap_respond_error(s, msg, "request has no 'command'");
	} else {
		/* A program killed while stopped: said before the answer. */
		dap_target_check_gone(s);
		const dap_handler *r = dap_handler_find(cmd->valuestring);
		const cJSON *args = cJSON_GetObjectItemCaseSensitive(msg, "arguments");
		if (!r)
			dap_respond_error_id(s, msg, DAP_ERR_UNSUPPORTED, 0,
					     "unsupported request '%s'",
					     cmd->valuestring);
		else if (dbg_is_corefile(s->dbg) &&
			 dap_corefile_refuses(cmd->valuestring))
			dap_respond_error_id(s, msg, DAP_ERR_CORE, 0, "%s",
					     DBG_ERR_IS_CORE);
		else
			dap_handler_run(s, r, msg, args);
	}
	cJSON_Delete(msg);
}

static int is_interrupt(const char *body, size_t len)
{
	cJSON *msg = cJSON_ParseWithLength(body, len);
	if (!msg)
		return 0;
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(msg, "command");
	int r = cJSON_IsString(cmd) && (strcmp(cmd->valuestring, "pause") == 0 ||
					strcmp(cmd->valuestring, "disconnect") == 0 ||
					strcmp(cmd->valuestring, "terminate") == 0);
	cJSON_Delete(msg);
	return r;
}

/* The seq of a request, and for a 'cancel' the requestId it cancels. */
static void msg_meta(const char *body, size_t len, int *seq, int *cancel_of)
{
	*seq = *cancel_of = 0;
	cJSON *msg = cJSON_ParseWithLength(body, len);
	if (!msg)
		return;
	const cJSON *sq = cJSON_GetObjectItemCaseSensitive(msg, "seq");
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(msg, "command");
	if (cJSON_IsNumber(sq) && sq->valuedouble >= 1 && sq->valuedouble <= INT_MAX)
		*seq = (int)sq->valuedouble;
	if (cJSON_IsString(cmd) && strcmp(cmd->valuestring, "cancel") == 0) {
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(msg, "arguments");
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(a, "requestId");
		if (cJSON_IsNumber(r) && r->valuedouble >= 1 && r->valuedouble <= INT_MAX)
			*cancel_of = (int)r->valuedouble;
	}
	cJSON_Delete(msg);
}

/* Answers a request the client cancelled before it was handled. */
static void respond_cancelled(dap_session *s, const char *body, size_t len)
{
	cJSON *msg = cJSON_ParseWithLength(body, len);
	if (!msg)
		return;
	dap_respond_error(s, msg, "cancelled");
	cJSON_Delete(msg);
}

int dap_cancel_requested(dap_session *s, const cJSON *req)
{
	const cJSON *sq = cJSON_GetObjectItemCaseSensitive(req, "seq");
	if (!cJSON_IsNumber(sq))
		return 0;
	int seq = (int)sq->valuedouble;
	struct pollfd pf = {s->in_fd, POLLIN, 0};
	/* -1: the client is gone (s->done): no cancel to find then */
	if (poll(&pf, 1, 0) > 0 && (pf.revents & POLLIN))
		(void)dap_session_take_input(s);
	for (size_t i = 0; i < s->ninq; i++)
		if (s->inq[i].cancel_of == seq)
			return 1;
	return 0;
}

int dap_session_take_input(dap_session *s)
{
	char buf[65536];
	ssize_t n = read(s->in_fd, buf, sizeof(buf));
	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return 0;
		gd_log_info(s->log, "read from client failed: %s", strerror(errno));
		if (!dap_mc_client_gone(s, 0))
			s->done = 1;
		return -1;
	}
	if (n == 0) {
		gd_log_info(s->log, "client closed the connection");
		if (!dap_mc_client_gone(s, 0))
			s->done = 1;
		return -1;
	}
	if (dap_framing_feed(s->fr, buf, (size_t)n) < 0) {
		s->done = 1;
		return -1;
	}
	int intr = 0;
	for (;;) {
		char *body = NULL;
		size_t len = 0;
		gd_err err = GD_ERR_INIT;
		int rc = dap_framing_next(s->fr, &body, &len, &err);
		if (rc < 0) {
			fprintf(stderr, "godap: %s\n", gd_err_msg(&err));
			gd_log_info(s->log, "framing: %s", gd_err_msg(&err));
			gd_err_clear(&err);
			continue;
		}
		if (rc == 0)
			break;
		if (gd_grow(&s->inq, &s->capinq, s->ninq, sizeof(*s->inq), 8) < 0) {
			free(body);
			s->done = 1;
			return -1;
		}
		int i = is_interrupt(body, len);
		intr |= i;
		int seq = 0, cancel_of = 0;
		msg_meta(body, len, &seq, &cancel_of);
		s->inq[s->ninq++] = (struct dap_inmsg){body, len, i, seq, cancel_of};
	}
	if (intr)
		s->intr_pending = 1;
	return intr;
}

/* Handles the queued requests in order (a handler may queue more). */
static void handle_queued(dap_session *s)
{
	size_t i = 0;
	while (i < s->ninq && !s->done) {
		struct dap_inmsg m = s->inq[i++];
		if (m.intr) {
			s->intr_pending = 0;
			for (size_t j = i; j < s->ninq; j++)
				if (s->inq[j].intr)
					s->intr_pending = 1;
		}
		int cancelled = 0;
		for (size_t j = i; j < s->ninq && m.seq && !cancelled; j++)
			cancelled = s->inq[j].cancel_of == m.seq;
		if (cancelled)
			respond_cancelled(s, m.body, m.len);
		else
			handle_message(s, m.body, m.len);
		free(m.body);
	}
	for (size_t j = i; j < s->ninq; j++)
		free(s->inq[j].body);
	s->ninq = 0;
}

static void read_client(dap_session *s)
{
	if (dap_session_take_input(s) >= 0)
		handle_queued(s);
}


/* A termination signal: the loop ends and the session is cleaned up. */
static void read_termfd(dap_session *s)
{
	struct signalfd_siginfo si;
	while (read(s->termfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (s->term_sig)
			continue;
		s->term_sig = (int)si.ssi_signo;
		gd_log_info(s->log, "%s from pid %u: ending the session",
			    strsignal((int)si.ssi_signo), si.ssi_pid);
		s->exit_code = 128 + (int)si.ssi_signo;
		s->done = 1;
	}
}

void dap_session_end(dap_session *s)
{
	/* A launch still waiting for its build gets its answer while the
	 * client may still read it. */
	if (s->pending && !s->done)
		dap_launch_abort(s, "the session ended before the build did");
	dap_build_cancel(s);
	dap_term_end(s);
	dap_plain_end(s, 0);
	dap_target_end(s, 0);
}

int dap_session_run(dap_session *s)
{
	while (!s->done) {
		struct pollfd pf[16];
		int n = 0;
		pf[n++] = (struct pollfd){s->in_fd, POLLIN, 0};
		pf[n++] = (struct pollfd){s->sigfd, POLLIN, 0};
		pf[n++] = (struct pollfd){s->termfd, POLLIN, 0};
		int out_i = -1, err_i = -1, build_i = -1, pout_i = -1, perr_i = -1;
		if (s->tgt && s->tgt->out_fd >= 0) {
			out_i = n;
			pf[n++] = (struct pollfd){s->tgt->out_fd, POLLIN, 0};
		}
		if (s->tgt && s->tgt->err_fd >= 0) {
			err_i = n;
			pf[n++] = (struct pollfd){s->tgt->err_fd, POLLIN, 0};
		}
		if (dap_build_fd(s) >= 0) {
			build_i = n;
			pf[n++] = (struct pollfd){dap_build_fd(s), POLLIN, 0};
		}
		int term_i = -1, mc_i = -1;
		if (dap_mc_listen_fd(s) >= 0) {
			mc_i = n;
			pf[n++] = (struct pollfd){dap_mc_listen_fd(s), POLLIN, 0};
		}
		if (dap_term_fd(s) >= 0) {
			term_i = n;
			pf[n++] = (struct pollfd){dap_term_fd(s), POLLIN, 0};
		}
		if (s->plain && s->plain->out_fd >= 0) {
			pout_i = n;
			pf[n++] = (struct pollfd){s->plain->out_fd, POLLIN, 0};
		}
		if (s->plain && s->plain->err_fd >= 0) {
			perr_i = n;
			pf[n++] = (struct pollfd){s->plain->err_fd, POLLIN, 0};
		}
		int klog_i = -1;
		if (s->dbg && dbg_log_fd(s->dbg) >= 0) {
			klog_i = n;
			pf[n++] = (struct pollfd){dbg_log_fd(s->dbg), POLLIN, 0};
		}
		int pst_i = -1;
		if (s->plain && s->plain->status_fd >= 0) {
			pst_i = n;
			pf[n++] = (struct pollfd){s->plain->status_fd, POLLIN, 0};
		}
		/* A held stop has no SIGCHLD to wake us: look at once. */
		int held = s->state == DAP_RUNNING && dbg_wants_poll(s->dbg);
		int timeout = held ? 0 : dap_build_timeout(s);
		/* waitFor: look for the process this often. */
		if (dap_attach_waiting(s) && (timeout < 0 || timeout > 20))
			timeout = 20;
		int tt = dap_terminate_timeout(s);
		if (tt >= 0 && (timeout < 0 || tt < timeout))
			timeout = tt;
		tt = dap_term_timeout(s);
		if (tt >= 0 && (timeout < 0 || tt < timeout))
			timeout = tt;
		/* stepHoldsOthers: the held thread is looked at now and then. */
		tt = s->dbg ? dbg_hold_timeout(s->dbg) : -1;
		if (tt >= 0 && (timeout < 0 || tt < timeout))
			timeout = tt;
		int pr = poll(pf, (nfds_t)n, timeout);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			gd_log_info(s->log, "poll: %s", strerror(errno));
			break;
		}
		if ((out_i >= 0 && pf[out_i].revents) ||
		    (err_i >= 0 && pf[err_i].revents))
			dap_target_drain_output(s, 0);
		int child = pf[1].revents != 0;
		if (child)
			drain_sigfd(s);
		if (child || (build_i >= 0 && pf[build_i].revents) || pr == 0)
			dap_build_poll(s);
		if (child || (pout_i >= 0 && pf[pout_i].revents) ||
		    (perr_i >= 0 && pf[perr_i].revents) ||
		    (pst_i >= 0 && pf[pst_i].revents))
			dap_plain_poll(s, 0);
		if (klog_i >= 0 && pf[klog_i].revents)
			dbg_log_drain(s->dbg);
		if (child || held)
			dbg_on_child(s->dbg);
		if (s->dbg)
			dbg_hold_tick(s->dbg);
		if (child)
			dap_target_check_gone(s);
		if (term_i >= 0 && pf[term_i].revents)
			dap_term_poll(s);
		if (pr == 0) {
			dap_terminate_tick(s);
			dap_term_tick(s);
			dap_attach_poll(s);
		}
		if (pf[2].revents) {
			read_termfd(s);
			break;
		}
		if (s->in_fd >= 0 && pf[0].revents)
			read_client(s);
		if (mc_i >= 0 && pf[mc_i].revents && !s->done)
			dap_mc_poll(s);
		if (dap_mc_nothing_left(s)) {
			gd_log_info(s->log, "the program is gone and no client is "
				    "connected: ending");
			s->done = 1;
		}
	}
	dap_session_end(s);
	return s->exit_code;
}

int dap_session_client_fd(const dap_session *s)
{
	return s->in_fd;
}

void dap_invalidated(dap_session *s)
{
	if (!s->client_invalidated)
		return;
	cJSON *b = cJSON_CreateObject();
	cJSON *areas = cJSON_AddArrayToObject(b, "areas");
	cJSON_AddItemToArray(areas, cJSON_CreateString("variables"));
	dap_event(s, "invalidated", b);
}
