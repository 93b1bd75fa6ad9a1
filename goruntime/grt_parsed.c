/* Conditions and log messages parsed once, kept by their text for the
 * life of the target: a breakpoint hit parses nothing (issue 14).  A text
 * that does not parse is kept too, with its message, so that a condition
 * with a syntax error is not parsed again at every hit. */
#include "grt_internal.h"
#include "grt_value.h"
#include "../common/gd_array.h"

#include <stdlib.h>
#include <string.h>

struct grt_parsed {
	char *text;
	int is_log;
	gx_expr *expr;    /* a condition */
	gx_logmsg msg;    /* a log message */
	char *error;      /* did not parse: why */
};

static grt_parsed *find(grt_target *t, const char *text, int is_log)
{
	for (size_t i = 0; i < t->nparsed; i++)
		if (t->parsed[i].is_log == is_log &&
		    strcmp(t->parsed[i].text, text) == 0)
			return &t->parsed[i];
	return NULL;
}

static grt_parsed *add(grt_target *t, const char *text, int is_log)
{
	if (gd_grow(&t->parsed, &t->capparsed, t->nparsed, sizeof(*t->parsed),
		    8) < 0)
		return NULL;
	grt_parsed *p = &t->parsed[t->nparsed];
	memset(p, 0, sizeof(*p));
	p->text = strdup(text);
	if (!p->text)
		return NULL;
	p->is_log = is_log;
	gd_err err = GD_ERR_INIT;
	int rc = is_log ? gx_logmsg_parse(text, &p->msg, &err)
			: gx_parse(text, &p->expr, &err);
	if (rc < 0) {
		p->error = strdup(gd_err_msg(&err));
		gd_err_clear(&err);
		if (!p->error) {
			free(p->text);
			return NULL;
		}
	}
	t->nparsed++;
	return p;
}

int grt_cond_parsed(grt_target *t, const char *text, const gx_expr **out,
		    gd_err *err)
{
	*out = NULL;
	grt_parsed *p = find(t, text, 0);
	if (!p && !(p = add(t, text, 0)))
		return gd_err_set(err, "out of memory");
	if (p->error)
		return gd_err_set(err, "%s", p->error);
	*out = p->expr;
	return 0;
}

int grt_logmsg_parsed(grt_target *t, const char *text, const gx_logmsg **out,
		      gd_err *err)
{
	*out = NULL;
	grt_parsed *p = find(t, text, 1);
	if (!p && !(p = add(t, text, 1)))
		return gd_err_set(err, "out of memory");
	if (p->error)
		return gd_err_set(err, "%s", p->error);
	*out = &p->msg;
	return 0;
}

void grt__parsed_free(grt_target *t)
{
	for (size_t i = 0; i < t->nparsed; i++) {
		grt_parsed *p = &t->parsed[i];
		free(p->text);
		free(p->error);
		if (p->is_log) {
			if (!p->error)
				gx_logmsg_free(&p->msg);
		} else {
			gx_expr_free(p->expr);
		}
	}
	free(t->parsed);
	t->parsed = NULL;
	t->nparsed = t->capparsed = 0;
}
