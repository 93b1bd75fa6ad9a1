/* One error convention for every module: a function that can fail returns
 * int (0 = success, -1 = failure) and fills the caller's gd_err with a
 * message a person can read.  The caller owns the gd_err and clears it. */
#ifndef GD_ERR_H
#define GD_ERR_H

#include <stddef.h>

/* "Not found" is not "failed": a lookup that finds nothing returns
 * GD_ENOTFOUND (and sets no message), a failure returns -1 with a
 * message.  Both are < 0, so a caller that needs no distinction keeps
 * testing `< 0`; one that does tests `== GD_ENOTFOUND`. */
enum { GD_ENOTFOUND = -2 };
/* "Not now": the target is in a state that passes (a runtime lock held by
 * a thread that was stopped inside it).  Returned with a message, so a
 * caller that does not retry reports it like any failure; one that can let
 * the program run a moment tests `== GD_EAGAIN` and tries again. */
enum { GD_EAGAIN = -3 };

typedef struct gd_err {
	char *msg; /* heap-allocated, NULL when no error */
} gd_err;

#define GD_ERR_INIT {NULL}

/* Sets the message (printf-style) and returns -1 so callers can write
 * `return gd_err_set(err, "...")`.  err may be NULL. */
int gd_err_set(gd_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Like gd_err_set, appending ": strerror(errno)". */
int gd_err_sys(gd_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prefixes an existing message with context ("launch: " + msg). */
int gd_err_wrap(gd_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *gd_err_msg(const gd_err *err);
void gd_err_clear(gd_err *err);

#endif
