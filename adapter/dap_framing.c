/* DAP framing: see dap_framing.h.
 *
 * The reader keeps the unconsumed input in one buffer, from offset pos.
 * Three states:
 *   HEADER  parsing the header block line by line (scan = next line);
 *   BODY    header done, waiting for cl body bytes from pos;
 *   RESYNC  after an error: dropping bytes until "content-length" (any
 *           case), keeping only a tail short enough to be the start of it.
 * After an error the search starts one byte past where the bad thing
 * began (the bad line, the bad Content-Length line, or the block), so a
 * good header right behind garbage is still found, and every error makes
 * progress. */
#include "dap_framing.h"

#include "gd_buf.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/uio.h>
#include <unistd.h>

enum { ST_HEADER, ST_BODY, ST_RESYNC };

static const char CL_NAME[] = "content-length";
#define CL_NAME_LEN (sizeof(CL_NAME) - 1)

struct dap_framing {
	gd_buf in;
	size_t pos;      /* first unconsumed byte */
	size_t max_body;
	int state;
	/* HEADER */
	size_t scan;     /* start of the next line to parse */
	size_t nfields;  /* fields seen in this block */
	int have_cl;
	size_t cl;       /* Content-Length (also used in BODY) */
};

int dap_framing_new(dap_framing **out, size_t max_body, gd_err *err)
{
	*out = NULL;
	dap_framing *fr = calloc(1, sizeof(*fr));
	if (!fr)
		return gd_err_set(err, "out of memory");
	fr->max_body = max_body ? max_body : DAP_FRAMING_DEFAULT_MAX;
	fr->state = ST_HEADER;
	*out = fr;
	return 0;
}

void dap_framing_free(dap_framing *fr)
{
	if (!fr)
		return;
	gd_buf_free(&fr->in);
	free(fr);
}

size_t dap_framing_buffered(const dap_framing *fr)
{
	return fr->in.len - fr->pos;
}

int dap_framing_feed(dap_framing *fr, const void *data, size_t len)
{
	/* Drop what was consumed so the buffer only holds live bytes. */
	if (fr->pos > 0) {
		size_t pos = fr->pos;
		gd_buf_consume(&fr->in, pos);
		fr->pos = 0;
		fr->scan = fr->scan > pos ? fr->scan - pos : 0;
	}
	if (len == 0)
		return 0;
	return gd_buf_append(&fr->in, data, len);
}

static void begin_header(dap_framing *fr)
{
	fr->state = ST_HEADER;
	fr->scan = fr->pos;
	fr->nfields = 0;
	fr->have_cl = 0;
	fr->cl = 0;
}

/* Printable excerpt of outside bytes for an error message (out of
 * memory, the appends fail and the excerpt is shorter: still a message). */
static const char *excerpt(gd_buf *b, const char *p, size_t n)
{
	const size_t max = 40;
	gd_buf_reset(b);
	for (size_t i = 0; i < n && i < max; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			gd_buf_append(b, &p[i], 1);
		else
			gd_buf_printf(b, "\\x%02x", c);
	}
	if (n > max)
		gd_buf_puts(b, "...");
	return b->data ? b->data : "";
}

/* Enters RESYNC, searching from offset from, and reports the error. */
static int resync(dap_framing *fr, size_t from, gd_err *err, const char *fmt,
		  ...) __attribute__((format(printf, 4, 5)));
static int resync(dap_framing *fr, size_t from, gd_err *err, const char *fmt,
		  ...)
{
	fr->pos = from < fr->in.len ? from : fr->in.len;
	fr->state = ST_RESYNC;
	if (err) {
		char *msg = NULL;
		va_list ap;
		va_start(ap, fmt);
		if (vasprintf(&msg, fmt, ap) < 0)
			msg = NULL;
		va_end(ap);
		gd_err_set(err, "%s; skipping to the next message",
			   msg ? msg : "bad DAP message header");
		free(msg);
	}
	return -1;
}

/* Offset of the first "content-length" (any case) in [from, len), or
 * (size_t)-1. */
static size_t find_cl(const char *d, size_t from, size_t len)
{
	for (size_t i = from; i + CL_NAME_LEN <= len; i++) {
		if (tolower((unsigned char)d[i]) == 'c' &&
		    strncasecmp(d + i, CL_NAME, CL_NAME_LEN) == 0)
			return i;
	}
	return (size_t)-1;
}

/* RFC 7230 token characters (what a header field name is made of). */
static int is_tchar(unsigned char c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Parses the decimal value of a Content-Length field: 0 ok, -1 not a
 * number, -2 over max. */
static int parse_length(const char *v, size_t n, size_t max, size_t *out)
{
	size_t val = 0;
	if (n == 0)
		return -1;
	int over = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1; /* "12abc" is not a number, however long */
		unsigned d = (unsigned)(v[i] - '0');
		if (over || val > max / 10 || d > max - val * 10)
			over = 1;
		else
			val = val * 10 + d;
	}
	if (over)
		return -2;
	*out = val;
	return 0;
}

/* One complete header line [ls, le) (no line terminator).  0: ok, 1: end
 * of header block, 2: blank line before any field (skip), -1: error. */
static int header_line(dap_framing *fr, size_t ls, size_t le, gd_err *err)
{
	const char *d = fr->in.data;
	gd_buf tmp = GD_BUF_INIT;
	int rc = 0;
	if (le == ls) {
		if (fr->nfields == 0)
			return 2;
		if (!fr->have_cl)
			return resync(fr, fr->pos + 1, err,
				      "DAP message header has no "
				      "Content-Length field");
		return 1;
	}
	const char *colon = memchr(d + ls, ':', le - ls);
	size_t nend = colon ? (size_t)(colon - d) : le;
	while (nend > ls && is_blank(d[nend - 1]))
		nend--;
	int name_ok = colon && nend > ls;
	for (size_t i = ls; name_ok && i < nend; i++)
		name_ok = is_tchar((unsigned char)d[i]);
	if (!name_ok) {
		rc = resync(fr, ls + 1, err,
			    "malformed DAP header line '%s' (expected "
			    "'Content-Length: N')",
			    excerpt(&tmp, d + ls, le - ls));
		gd_buf_free(&tmp);
		return rc;
	}
	fr->nfields++;
	if (nend - ls != CL_NAME_LEN ||
	    strncasecmp(d + ls, CL_NAME, CL_NAME_LEN) != 0)
		return 0; /* another field: ignored */
	size_t vs = (size_t)(colon - d) + 1, ve = le;
	while (vs < ve && is_blank(d[vs]))
		vs++;
	while (ve > vs && is_blank(d[ve - 1]))
		ve--;
	size_t val = 0;
	int prc = parse_length(d + vs, ve - vs, fr->max_body, &val);
	if (prc == -2)
		rc = resync(fr, ls + 1, err,
			    "DAP message of Content-Length %s is over the "
			    "limit of %zu bytes",
			    excerpt(&tmp, d + vs, ve - vs), fr->max_body);
	else if (prc < 0)
		rc = resync(fr, ls + 1, err,
			    "Content-Length '%s' is not a number",
			    excerpt(&tmp, d + vs, ve - vs));
	if (prc < 0) {
		gd_buf_free(&tmp);
		return rc;
	}
	if (fr->have_cl && fr->cl != val) {
		rc = resync(fr, ls + 1, err,
			    "DAP message header has two different "
			    "Content-Length values (%zu and %zu)", fr->cl, val);
		return rc;
	}
	fr->have_cl = 1;
	fr->cl = val;
	return 0;
}

int dap_framing_next(dap_framing *fr, char **body, size_t *len, gd_err *err)
{
	*body = NULL;
	*len = 0;
	for (;;) {
		const char *d = fr->in.data;
		size_t end = fr->in.len;
		if (fr->state == ST_RESYNC) {
			size_t at = find_cl(d, fr->pos, end);
			if (at == (size_t)-1) {
				/* Keep only what could be the start of the
				 * name, split across reads. */
				if (end - fr->pos > CL_NAME_LEN - 1)
					fr->pos = end - (CL_NAME_LEN - 1);
				return 0;
			}
			fr->pos = at;
			begin_header(fr);
			continue;
		}
		if (fr->state == ST_BODY) {
			if (end - fr->pos < fr->cl)
				return 0;
			char *b = malloc(fr->cl + 1);
			if (!b)
				return gd_err_set(err, "out of memory for a DAP "
						  "message of %zu bytes", fr->cl);
			if (fr->cl)
				memcpy(b, d + fr->pos, fr->cl);
			b[fr->cl] = '\0';
			*body = b;
			*len = fr->cl;
			fr->pos += fr->cl;
			begin_header(fr);
			return 1;
		}
		/* ST_HEADER */
		const char *nl = fr->scan < end
					 ? memchr(d + fr->scan, '\n', end - fr->scan)
					 : NULL;
		if (!nl) {
			if (end - fr->pos > DAP_FRAMING_MAX_HEADER)
				return resync(fr, fr->pos + 1, err,
					      "no end of DAP message header "
					      "in %zu bytes",
					      DAP_FRAMING_MAX_HEADER);
			return 0;
		}
		size_t ls = fr->scan, next = (size_t)(nl - d) + 1;
		size_t le = next - 1;
		if (le > ls && d[le - 1] == '\r')
			le--;
		if (next - fr->pos > DAP_FRAMING_MAX_HEADER)
			return resync(fr, fr->pos + 1, err,
				      "no end of DAP message header in %zu "
				      "bytes", DAP_FRAMING_MAX_HEADER);
		fr->scan = next;
		int rc = header_line(fr, ls, le, err);
		if (rc < 0)
			return -1;
		if (rc == 2) {
			/* Stray line break between messages. */
			fr->pos = next;
		} else if (rc == 1) {
			fr->pos = next;
			fr->state = ST_BODY;
		}
	}
}

int dap_framing_write(int fd, const char *json, size_t len, gd_err *err)
{
	struct iovec part = {(void *)json, len};
	return dap_framing_writev(fd, &part, 1, err);
}

int dap_framing_writev(int fd, const struct iovec *parts, int n, gd_err *err)
{
	enum { MAXPARTS = 8 };
	if (n < 0 || n > MAXPARTS)
		return gd_err_set(err, "cannot write a DAP message of %d parts",
				  n);
	size_t len = 0;
	for (int i = 0; i < n; i++)
		len += parts[i].iov_len;
	char hdr[64];
	int h = snprintf(hdr, sizeof(hdr), "Content-Length: %zu\r\n\r\n", len);
	struct iovec iov[MAXPARTS + 1];
	int cnt = 1;
	iov[0] = (struct iovec){hdr, (size_t)h};
	for (int i = 0; i < n; i++)
		if (parts[i].iov_len)
			iov[cnt++] = parts[i];
	struct iovec *v = iov;
	while (cnt > 0) {
		ssize_t w = writev(fd, v, cnt);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				struct pollfd pf = {fd, POLLOUT, 0};
				if (poll(&pf, 1, -1) < 0 && errno != EINTR)
					return gd_err_sys(err, "cannot write a "
							  "DAP message");
				continue;
			}
			return gd_err_sys(err, "cannot write a DAP message");
		}
		if (w == 0)
			return gd_err_set(err, "cannot write a DAP message: "
					  "the output accepts no more bytes");
		size_t done = (size_t)w;
		while (cnt > 0 && done >= v->iov_len) {
			done -= v->iov_len;
			v++;
			cnt--;
		}
		if (cnt > 0) {
			v->iov_base = (char *)v->iov_base + done;
			v->iov_len -= done;
		}
	}
	return 0;
}

int dap_framing_write_json(int fd, const cJSON *msg, gd_err *err)
{
	char *txt = cJSON_PrintUnformatted(msg);
	if (!txt)
		return gd_err_set(err, "cannot serialise a DAP message "
				  "(out of memory)");
	int rc = dap_framing_write(fd, txt, strlen(txt), err);
	free(txt);
	return rc;
}
