#include "gd_err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *vformat(const char *fmt, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

static void replace(gd_err *err, char *s)
{
	free(err->msg);
	err->msg = s ? s : strdup("out of memory");
}

int gd_err_set(gd_err *err, const char *fmt, ...)
{
	if (!err)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	replace(err, vformat(fmt, ap));
	va_end(ap);
	return -1;
}

int gd_err_sys(gd_err *err, const char *fmt, ...)
{
	int saved = errno;
	if (!err)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	char *s = vformat(fmt, ap);
	va_end(ap);
	char *full = NULL;
	if (s && asprintf(&full, "%s: %s", s, strerror(saved)) < 0)
		full = NULL;
	free(s);
	replace(err, full);
	errno = saved;
	return -1;
}

int gd_err_wrap(gd_err *err, const char *fmt, ...)
{
	if (!err)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	char *prefix = vformat(fmt, ap);
	va_end(ap);
	char *full = NULL;
	if (prefix && asprintf(&full, "%s: %s", prefix,
			       err->msg ? err->msg : "unknown error") < 0)
		full = NULL;
	free(prefix);
	replace(err, full);
	return -1;
}

const char *gd_err_msg(const gd_err *err)
{
	return err && err->msg ? err->msg : "unknown error";
}

void gd_err_clear(gd_err *err)
{
	if (!err)
		return;
	free(err->msg);
	err->msg = NULL;
}
