/* libFuzzer harness: logpoint messages ("x is {x}, {{literal}}").  The
 * parts of a parsed message lie inside it, in order; every expression part
 * parsed. */
#include "gx.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	gx_logmsg m;
	gd_err err = GD_ERR_INIT;
	if (gx_logmsg_parse(s, &m, &err) == 0) {
		size_t last = 0;
		for (size_t i = 0; i < m.nparts; i++) {
			const gx_logpart *p = &m.parts[i];
			if (p->pos > strlen(s) || p->pos < last)
				abort();
			last = p->pos;
			if (p->is_expr && !p->expr)
				abort();
			if (p->is_expr) {
				char *d = gx_dump_str(p->expr->root);
				free(d);
			}
		}
		gx_logmsg_free(&m);
	} else {
		gd_err_clear(&err);
	}
	free(s);
	return 0;
}
