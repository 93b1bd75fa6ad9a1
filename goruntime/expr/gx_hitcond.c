/* Breakpoint hit conditions, following Delve (pkg/proc/target_group.go
 * parseHitCondition, pkg/proc/breakpoints.go checkHitCond): "N" alone
 * means "== N"; the operators are ==, !=, >, >=, <, <= and % ("every Nth
 * hit").  Unlike Delve's unanchored regexp, the whole text must match (so
 * "abc 5" or "5x" are errors, not "== 5"), any blanks may separate the
 * operator from the count, and "% 0" is rejected instead of dividing by
 * zero at the first hit. */
#include "gx_internal.h"

#include <string.h>

static const char expected_form[] =
	"expected a count, optionally preceded by one of ==, !=, <, <=, >, >=, %";

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int gx_hitcond_parse(const char *s, gx_hitcond *out, gd_err *err)
{
	static const struct {
		const char *text;
		gx_hitop op;
	} ops[] = {
		{"==", GX_HIT_EQ}, {"!=", GX_HIT_NE}, {">=", GX_HIT_GE},
		{"<=", GX_HIT_LE}, {">", GX_HIT_GT},  {"<", GX_HIT_LT},
		{"%", GX_HIT_MOD},
	};
	out->op = GX_HIT_ANY;
	out->n = 0;
	if (!s)
		s = "";
	size_t len = strlen(s), i = 0;
	while (len > 0 && blank(s[len - 1]))
		len--;
	while (i < len && blank(s[i]))
		i++;
	if (i == len)
		return 0; /* no hit condition */

	gx_hitop op = GX_HIT_EQ;
	const char *optext = NULL;
	for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
		size_t n = strlen(ops[k].text);
		if (len - i >= n && memcmp(s + i, ops[k].text, n) == 0) {
			op = ops[k].op;
			optext = ops[k].text;
			i += n;
			break;
		}
	}
	if (!optext && strchr("=!<>%", s[i])) {
		size_t j = i;
		while (j < len && strchr("=!<>%", s[j]))
			j++;
		return gd_err_set(err,
				  "invalid hit condition '%s': unknown operator '%.*s', %s",
				  s, (int)(j - i), s + i, expected_form);
	}
	while (i < len && blank(s[i]))
		i++;
	if (i == len || s[i] < '0' || s[i] > '9') {
		if (optext)
			return gd_err_set(err,
					  "invalid hit condition '%s': expected a count (a decimal number) after '%s'",
					  s, optext);
		return gd_err_set(err, "invalid hit condition '%s': %s", s,
				  expected_form);
	}
	uint64_t n = 0;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (n > (UINT64_MAX - d) / 10)
			return gd_err_set(err,
					  "invalid hit condition '%s': the count is too large",
					  s);
		n = n * 10 + d;
	}
	if (i < len)
		return gd_err_set(err,
				  "invalid hit condition '%s': expected nothing after the count %llu, found '%s'",
				  s, (unsigned long long)n, s + i);
	if (op == GX_HIT_MOD && n == 0)
		return gd_err_set(err,
				  "invalid hit condition '%s': expected a count greater than 0 after '%%'",
				  s);
	out->op = op;
	out->n = n;
	return 0;
}

int gx_hitcond_match(const gx_hitcond *h, uint64_t hits)
{
	switch (h->op) {
	case GX_HIT_ANY: return 1;
	case GX_HIT_EQ: return hits == h->n;
	case GX_HIT_NE: return hits != h->n;
	case GX_HIT_GT: return hits > h->n;
	case GX_HIT_GE: return hits >= h->n;
	case GX_HIT_LT: return hits < h->n;
	case GX_HIT_LE: return hits <= h->n;
	case GX_HIT_MOD: return h->n && hits % h->n == 0;
	}
	return 0;
}

bool gx_hitcond_exhausted(const gx_hitcond *h, uint64_t hits)
{
	switch (h->op) {
	case GX_HIT_EQ:
	case GX_HIT_LE:
		return hits >= h->n;
	case GX_HIT_LT:
		return h->n == 0 || hits >= h->n - 1;
	default:
		return false;
	}
}
