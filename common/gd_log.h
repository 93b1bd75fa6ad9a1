/* Logging goes to stderr or a --log-file, never to stdout (which carries DAP
 * only).  The logger is an object created in main and passed down. */
#ifndef GD_LOG_H
#define GD_LOG_H

#include <stdio.h>

typedef struct gd_log {
	FILE *fp;    /* NULL: logging off */
	int verbose; /* 1: also debug lines */
} gd_log;

void gd_log_info(gd_log *log, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void gd_log_debug(gd_log *log, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
