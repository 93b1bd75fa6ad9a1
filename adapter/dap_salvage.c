/* See dap_salvage.h.  A forgiving walk, not a validator: a string is
 * anything from '"' to the next unescaped '"'; a value is skipped by
 * counting brackets outside strings.  The first thing that does not fit
 * ends the walk with what was found so far. */
#include "dap_salvage.h"

#include <stdlib.h>
#include <string.h>

typedef struct walk {
	const char *p;
	size_t i, n;
} walk;

static void ws(walk *w)
{
	while (w->i < w->n && (w->p[w->i] == ' ' || w->p[w->i] == '\t' ||
			       w->p[w->i] == '\n' || w->p[w->i] == '\r'))
		w->i++;
}

/* At '"': skips the string; [*s, *e) is its raw content; *esc says if it
 * had a backslash.  0, or -1 when it does not end. */
static int str(walk *w, size_t *s, size_t *e, int *esc)
{
	if (w->i >= w->n || w->p[w->i] != '"')
		return -1;
	*esc = 0;
	*s = ++w->i;
	while (w->i < w->n) {
		char c = w->p[w->i];
		if (c == '\\') {
			*esc = 1;
			w->i += 2;
			continue;
		}
		if (c == '"') {
			*e = w->i++;
			return 0;
		}
		w->i++;
	}
	return -1;
}

/* Skips one value (scalar, string, object or array). */
static int value(walk *w)
{
	size_t s, e;
	int esc;
	ws(w);
	if (w->i >= w->n)
		return -1;
	char c = w->p[w->i];
	if (c == '"')
		return str(w, &s, &e, &esc);
	if (c == '{' || c == '[') {
		size_t depth = 0;
		while (w->i < w->n) {
			c = w->p[w->i];
			if (c == '"') {
				if (str(w, &s, &e, &esc) < 0)
					return -1;
				continue;
			}
			if (c == '{' || c == '[')
				depth++;
			else if ((c == '}' || c == ']') && --depth == 0) {
				w->i++;
				return 0;
			}
			w->i++;
		}
		return -1;
	}
	size_t start = w->i;
	while (w->i < w->n && !strchr(",}] \t\r\n", w->p[w->i]))
		w->i++;
	return w->i > start ? 0 : -1;
}

static int key_is(const walk *w, size_t s, size_t e, const char *k)
{
	return e - s == strlen(k) && memcmp(w->p + s, k, e - s) == 0;
}

int dap_salvage_scan(const char *body, size_t len, dap_salvage *out)
{
	memset(out, 0, sizeof(*out));
	walk w = {body, 0, len};
	ws(&w);
	if (w.i >= w.n || body[w.i] != '{')
		return 0;
	w.i++;
	for (;;) {
		ws(&w);
		size_t ks, ke;
		int kesc;
		if (str(&w, &ks, &ke, &kesc) < 0)
			return 0;
		ws(&w);
		if (w.i >= w.n || body[w.i] != ':')
			return 0;
		w.i++;
		ws(&w);
		size_t vs = w.i;
		if (value(&w) < 0)
			return 0;
		size_t ve = w.i;
		if (!kesc && key_is(&w, ks, ke, "seq")) {
			long long v = 0;
			size_t j = vs;
			int ok = j < ve;
			for (; ok && j < ve; j++) {
				char c = body[j];
				if (c < '0' || c > '9' || v > 1000000000000LL)
					ok = 0;
				else
					v = v * 10 + (c - '0');
			}
			if (ok) {
				out->have_seq = 1;
				out->seq = v;
			}
		} else if (!kesc && key_is(&w, ks, ke, "command") &&
			   ve - vs >= 2 && body[vs] == '"' &&
			   !memchr(body + vs, '\\', ve - vs) &&
			   !memchr(body + vs, '\0', ve - vs)) {
			free(out->command);
			out->command = strndup(body + vs + 1, ve - vs - 2);
			if (!out->command) {
				dap_salvage_free(out);
				return -1;
			}
		} else if (!kesc && key_is(&w, ks, ke, "type")) {
			out->is_request = ve - vs == 9 &&
					  memcmp(body + vs, "\"request\"", 9) == 0;
		}
		ws(&w);
		if (w.i >= w.n || body[w.i] != ',')
			return 0;
		w.i++;
	}
}

void dap_salvage_free(dap_salvage *sv)
{
	free(sv->command);
	memset(sv, 0, sizeof(*sv));
}
