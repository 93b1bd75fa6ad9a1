/* Logpoint messages.  Delve (service/dap/server.go parseLogPoint): "{expr}"
 * is interpolated, braces nest inside an expression ("{interface{}(x)}"),
 * the expression is trimmed and must not be empty, a '}' outside an
 * expression or a '{' never closed is an error.  Added here: "{{" and "}}"
 * outside an expression are literal braces (Delve would try to evaluate
 * "{...}", which is never a valid expression), and braces inside string
 * and rune literals of an expression do not count (Delve's TODO). */
#include "gx_internal.h"

#include <stdlib.h>
#include <string.h>

static int add_part(gx_logmsg *m, size_t *cap, gx_logpart part)
{
	if (m->nparts == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		gx_logpart *np = realloc(m->parts, ncap * sizeof *np);
		if (!np)
			return -1;
		m->parts = np;
		*cap = ncap;
	}
	m->parts[m->nparts++] = part;
	return 0;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Flushes pending literal text as a part. */
static int flush_text(gx_logmsg *m, size_t *cap, gd_buf *text, size_t pos)
{
	if (text->len == 0)
		return 0;
	gx_logpart part = {0};
	part.pos = pos;
	part.len = text->len;
	part.text = gd_buf_detach(text);
	if (!part.text || add_part(m, cap, part) < 0) {
		free(part.text);
		return -1;
	}
	return 0;
}

/* Skips a quoted literal starting at s[i] (its quote); returns the offset
 * after it, or len when it is not closed. */
static size_t skip_quoted(const char *s, size_t len, size_t i)
{
	char q = s[i++];
	while (i < len) {
		if (s[i] == '\\' && q != '`') {
			i += 2;
			continue;
		}
		if (s[i] == q)
			return i + 1;
		i++;
	}
	return len;
}

int gx_logmsg_parse(const char *msg, gx_logmsg *out, gd_err *err)
{
	memset(out, 0, sizeof *out);
	if (!msg)
		msg = "";
	size_t len = strlen(msg), cap = 0, i = 0, text_pos = 0;
	gd_buf text = GD_BUF_INIT;

	while (i < len) {
		char c = msg[i];
		if (c == '}') {
			if (i + 1 < len && msg[i + 1] == '}') {
				if (text.len == 0)
					text_pos = i;
				if (gd_buf_append(&text, "}", 1) < 0)
					goto nomem;
				i += 2;
				continue;
			}
			gd_err_set(err,
				   "invalid log message: unexpected '}' at column %zu (write '}}' for a literal brace)",
				   i + 1);
			goto fail;
		}
		if (c != '{') {
			if (text.len == 0)
				text_pos = i;
			if (gd_buf_append(&text, &c, 1) < 0)
				goto nomem;
			i++;
			continue;
		}
		if (i + 1 < len && msg[i + 1] == '{') {
			if (text.len == 0)
				text_pos = i;
			if (gd_buf_append(&text, "{", 1) < 0)
				goto nomem;
			i += 2;
			continue;
		}
		/* an expression: find its matching '}' */
		size_t open = i, j = i + 1, depth = 1;
		while (j < len) {
			char d = msg[j];
			if (d == '"' || d == '\'' || d == '`') {
				j = skip_quoted(msg, len, j);
				continue;
			}
			if (d == '{') {
				depth++;
			} else if (d == '}' && --depth == 0) {
				break;
			}
			j++;
		}
		if (j >= len) {
			gd_err_set(err,
				   "invalid log message: '{' at column %zu is not closed (write '{{' for a literal brace)",
				   open + 1);
			goto fail;
		}
		size_t a = open + 1, b = j;
		while (a < b && blank(msg[a]))
			a++;
		while (b > a && blank(msg[b - 1]))
			b--;
		if (a == b) {
			gd_err_set(err,
				   "invalid log message: empty expression in '{}' at column %zu",
				   open + 1);
			goto fail;
		}
		if (flush_text(out, &cap, &text, text_pos) < 0)
			goto nomem;
		gx_logpart part = {0};
		part.is_expr = true;
		part.pos = a;
		part.len = b - a;
		part.text = malloc(part.len + 1);
		if (!part.text)
			goto nomem;
		memcpy(part.text, msg + a, part.len);
		part.text[part.len] = '\0';
		if (gx_parse_n(part.text, part.len, &part.expr, err) < 0) {
			gd_err_wrap(err, "invalid log message: expression {%s}",
				    part.text);
			free(part.text);
			goto fail;
		}
		if (add_part(out, &cap, part) < 0) {
			gx_expr_free(part.expr);
			free(part.text);
			goto nomem;
		}
		i = j + 1;
	}
	if (flush_text(out, &cap, &text, text_pos) < 0)
		goto nomem;
	gd_buf_free(&text);
	return 0;
nomem:
	gd_err_set(err, "out of memory");
fail:
	gd_buf_free(&text);
	gx_logmsg_free(out);
	return -1;
}

void gx_logmsg_free(gx_logmsg *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nparts; i++) {
		free(m->parts[i].text);
		gx_expr_free(m->parts[i].expr);
	}
	free(m->parts);
	m->parts = NULL;
	m->nparts = 0;
}
