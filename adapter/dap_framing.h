/* DAP wire framing: each message is a header block ending in a blank line,
 * with a Content-Length field (other fields are ignored, names are
 * case-insensitive), then exactly Content-Length bytes of JSON.
 *
 * The reader is fed whatever read() returned and hands out complete
 * bodies one at a time, so a poll()-driven loop does:
 *
 *     n = read(fd, buf, sizeof buf);
 *     dap_framing_feed(fr, buf, n);
 *     while ((rc = dap_framing_next(fr, &body, &len, &err)) != 0) {
 *             if (rc < 0) { report err; gd_err_clear(&err); continue; }
 *             handle(body, len); free(body);
 *     }
 *
 * A framing error (malformed header line, no Content-Length, a length that
 * is not a number or is over the limit, a header with no end) is reported
 * once; the bad bytes are already dropped when next() returns -1, and the
 * reader skips ahead to the next "Content-Length" so the session goes on.
 * Every -1 consumes input, so the loop above always ends.  Garbage is never
 * kept beyond DAP_FRAMING_MAX_HEADER bytes (plus what one feed added). */
#ifndef DAP_FRAMING_H
#define DAP_FRAMING_H

#include <stddef.h>
#include <sys/uio.h>

#include <cjson/cJSON.h>

#include "gd_buf.h" /* the reader buffers in one; adapter code expects it here */
#include "gd_err.h"

/* Default body limit when dap_framing_new gets 0. */
#define DAP_FRAMING_DEFAULT_MAX ((size_t)64 << 20)
/* A header block longer than this without its blank line is an error. */
#define DAP_FRAMING_MAX_HEADER ((size_t)8192)

typedef struct dap_framing dap_framing;

/* max_body: largest Content-Length accepted (0 = DAP_FRAMING_DEFAULT_MAX). */
int dap_framing_new(dap_framing **out, size_t max_body, gd_err *err);
void dap_framing_free(dap_framing *fr);

/* Appends bytes read from the client.  -1 only when out of memory. */
int dap_framing_feed(dap_framing *fr, const void *data, size_t len);

/* 1: *body is a complete message body (heap, NUL-terminated, caller frees)
 *    of *len bytes;
 * 0: more bytes are needed (*body = NULL);
 * -1: framing error, err says what was wrong; the reader has resynchronised
 *    and next() may be called again at once. */
int dap_framing_next(dap_framing *fr, char **body, size_t *len, gd_err *err);

/* Bytes held but not yet handed out (for tests and diagnostics). */
size_t dap_framing_buffered(const dap_framing *fr);

/* Writes "Content-Length: len\r\n\r\n" and the len bytes of json to fd,
 * all of it: partial writes, EINTR and EAGAIN (non-blocking fd) are handled.
 * SIGPIPE is the caller's business (godap ignores it; EPIPE is reported). */
int dap_framing_write(int fd, const char *json, size_t len, gd_err *err);
/* The same for a message in n pieces (written in order, not copied). */
int dap_framing_writev(int fd, const struct iovec *parts, int n, gd_err *err);

/* Serialises msg (unformatted) and writes it as one framed message. */
int dap_framing_write_json(int fd, const cJSON *msg, gd_err *err);

#endif
