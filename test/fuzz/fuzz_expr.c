/* libFuzzer harness: the Go expression parser and the constant type
 * checker.  Whatever parses must dump to text that parses back to the
 * same dump; constant folding and gx_is_const must agree (a folded
 * expression is constant). */
#include "gx.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gx_expr *e = NULL;
	gd_err err = GD_ERR_INIT;
	if (gx_parse_n((const char *)data, size, &e, &err) < 0) {
		gd_err_clear(&err);
		return 0;
	}
	const gx_node *roots[2] = {e->root, e->alt};
	for (int r = 0; r < 2; r++) {
		if (!roots[r])
			continue;
		char *d1 = gx_dump_str(roots[r]);
		if (!d1)
			continue;
		/* The unquoted package-path reading dumps as a quoted path:
		 * both forms parse back the same way. */
		gx_expr *e2 = NULL;
		if (gx_parse(d1, &e2, &err) == 0) {
			char *d2 = gx_dump_str(e2->root);
			if (d2 && strcmp(d1, d2) != 0)
				abort();
			free(d2);
			gx_expr_free(e2);
		} else {
			gd_err_clear(&err);
		}
		free(d1);
		gx_value v = {0};
		bool is_const = gx_is_const(roots[r]);
		if (gx_const_eval(roots[r], &v, &err) == 0) {
			gd_buf b = GD_BUF_INIT;
			gx_value_format(&v, &b);
			gd_buf_free(&b);
			gx_value_free(&v);
			if (!is_const)
				abort();
		} else {
			gd_err_clear(&err);
		}
		gx_value f = {0};
		if (gx_const_fold(roots[r], &f, &err) == 0)
			gx_value_free(&f);
		else
			gd_err_clear(&err);
	}
	gx_expr_free(e);
	return 0;
}
