/* Matching the names users type for function breakpoints against the
 * names the Go compiler writes into DWARF. */
#include "grt.h"

#include <stdlib.h>
#include <string.h>

/* Drops generic instantiations: "main.Box[go.shape.int].Get" ->
 * "main.Box.Get", "main.(*Box[go.shape.int]).Get" -> "main.(*Box).Get". */
static char *strip_instantiation(const char *s)
{
	char *out = malloc(strlen(s) + 1);
	if (!out)
		return NULL;
	size_t k = 0;
	int depth = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '[') {
			depth++;
			continue;
		}
		if (*p == ']' && depth > 0) {
			depth--;
			continue;
		}
		if (depth == 0)
			out[k++] = *p;
	}
	out[k] = '\0';
	return out;
}

/* query is full's tail and starts right after a '.' or '/' of full. */
static int suffix_at_boundary(const char *query, const char *full)
{
	size_t q = strlen(query), f = strlen(full);
	if (q > f || strcmp(full + f - q, query) != 0)
		return 0;
	if (q == f)
		return 1;
	char before = full[f - q - 1];
	return before == '.' || before == '/';
}

static int match_one(const char *query, const char *full)
{
	if (strcmp(query, full) == 0 || suffix_at_boundary(query, full))
		return 1;
	/* "T.Method" also names the pointer-receiver method "(*T).Method". */
	const char *dot = strrchr(query, '.');
	if (dot && query[0] != '(' && dot != query) {
		size_t tlen = (size_t)(dot - query);
		const char *tstart = query;
		const char *pkgdot = NULL;
		for (const char *p = query; p < dot; p++)
			if (*p == '.' || *p == '/')
				pkgdot = p;
		if (pkgdot && *pkgdot == '.')
			tstart = pkgdot + 1;
		size_t plen = (size_t)(tstart - query);
		tlen = (size_t)(dot - tstart);
		char *alt = malloc(strlen(query) + 4);
		if (!alt)
			return 0;
		memcpy(alt, query, plen);
		alt[plen] = '\0';
		strcat(alt, "(*");
		strncat(alt, tstart, tlen);
		strcat(alt, ")");
		strcat(alt, dot);
		int r = strcmp(alt, full) == 0 || suffix_at_boundary(alt, full);
		free(alt);
		return r;
	}
	return 0;
}

/* Every way of matching below leaves full ending in the query's last
 * element (what follows its last '.'), unless full has an instantiation:
 * a cheap first test for the 60 000 symbols of a big program, which
 * match_one would otherwise each copy and compare several ways. */
static int tail_may_match(const char *query, const char *full)
{
	if (strchr(full, '['))
		return 1;
	const char *dot = strrchr(query, '.');
	const char *tail = dot ? dot + 1 : query;
	size_t t = strlen(tail), f = strlen(full);
	return t <= f && memcmp(full + f - t, tail, t) == 0;
}

int grt_func_name_matches(const char *query, const char *full)
{
	if (!query[0] || !tail_may_match(query, full))
		return 0;
	if (match_one(query, full))
		return 1;
	if (!strchr(full, '['))
		return 0;
	char *plain = strip_instantiation(full);
	int r = plain && match_one(query, plain);
	free(plain);
	return r;
}
