#include "gd_log.h"

#include <stdarg.h>
#include <time.h>

static void vlog(gd_log *log, const char *level, const char *fmt, va_list ap)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	fprintf(log->fp, "[%ld.%03ld] %s ", (long)ts.tv_sec,
		ts.tv_nsec / 1000000, level);
	vfprintf(log->fp, fmt, ap);
	fputc('\n', log->fp);
	fflush(log->fp);
}

void gd_log_info(gd_log *log, const char *fmt, ...)
{
	if (!log || !log->fp)
		return;
	va_list ap;
	va_start(ap, fmt);
	vlog(log, "info", fmt, ap);
	va_end(ap);
}

void gd_log_debug(gd_log *log, const char *fmt, ...)
{
	if (!log || !log->fp || !log->verbose)
		return;
	va_list ap;
	va_start(ap, fmt);
	vlog(log, "debug", fmt, ap);
	va_end(ap);
}
