/* Console commands typed in the debug console, as vscode-go users know
 * them from Delve: "dlv help", "dlv config", "dlv sources", plus
 * "dlv goroutines" (a listing with Delve's goroutine filters). */
#include "dap_internal.h"
#include "../common/gd_buf.h"

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help_text[] =
	"Commands (type them after 'dlv '):\n"
	"  help [COMMAND]        this help\n"
	"  config -list          the settings below and their values\n"
	"  config NAME VALUE     change a setting while debugging:\n"
	"      maxStringLen N, maxArrayValues N, stackTraceDepth N,\n"
	"      goroutineFilters FILTERS (empty: none), showPprofLabels true|false|KEY...,\n"
	"      hideSystemGoroutines, showGlobalVariables, showRegisters true|false,\n"
	"      disassembleFlavor go|intel|gnu,\n"
	"      substitutePath FROM TO | substitutePath FROM (removes) | substitutePath -clear\n"
	"  sources [REGEX]       the program's source files (matching REGEX)\n"
	"  goroutines [FILTERS]  goroutines, filtered by FILTERS or goroutineFilters:\n"
	"      -with|-without user|running, -with|-without curloc|userloc|goloc|startloc TEXT,\n"
	"      -with|-without label KEY[=VALUE], -group user|running|curloc|userloc|goloc|startloc|label KEY\n";

static int parse_bool(const char *v, int *out)
{
	if (strcmp(v, "true") == 0)
		*out = 1;
	else if (strcmp(v, "false") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

static int parse_count(const char *v, int *out)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < 1 || n > DAP_ARGS_MAX_COUNT)
		return -1;
	*out = (int)n;
	return 0;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The gd_buf appends of the console's listings fail only out of memory:
 * the listing is then cut short, which is all that can be done. */
static void config_list(dap_session *s, gd_buf *b)
{
	const dap_args_launch *c = &s->cfg;
	uint64_t ms = GRT_DEFAULT_MAX_STRING, ma = GRT_DEFAULT_MAX_ARRAY;
	if (dbg_has_target(s->dbg))
		grt_limits(dbg_rt(s->dbg), &ms, &ma);
	gd_buf_printf(b, "maxStringLen\t%llu\n", (unsigned long long)ms);
	gd_buf_printf(b, "maxArrayValues\t%llu\n", (unsigned long long)ma);
	gd_buf_printf(b, "stackTraceDepth\t%d\n", c->stack_trace_depth);
	gd_buf_printf(b, "goroutineFilters\t%s\n",
		      c->goroutine_filters ? c->goroutine_filters : "");
	gd_buf_puts(b, "showPprofLabels\t");
	if (!c->show_pprof_labels)
		gd_buf_puts(b, "false");
	else if (!c->npprof_label_keys)
		gd_buf_puts(b, "true");
	for (size_t i = 0; i < c->npprof_label_keys; i++)
		gd_buf_printf(b, "%s%s", i ? " " : "", c->pprof_label_keys[i]);
	gd_buf_printf(b, "\nhideSystemGoroutines\t%s\n",
		      c->hide_system_goroutines ? "true" : "false");
	gd_buf_printf(b, "showGlobalVariables\t%s\n",
		      c->show_global_variables ? "true" : "false");
	gd_buf_printf(b, "showRegisters\t%s\n", c->show_registers ? "true" : "false");
	gd_buf_printf(b, "disassembleFlavor\t%s\n",
		      c->disassemble_flavor ? c->disassemble_flavor : "go");
	gd_buf_puts(b, "substitutePath\t");
	for (size_t i = 0; i < c->nsubstitute_path; i++)
		gd_buf_printf(b, "%s%s -> %s", i ? ", " : "",
			      c->substitute_path[i].from, c->substitute_path[i].to);
	gd_buf_puts(b, "\n");
}

static int set_subst(dap_session *s, char **w, size_t nw, gd_err *err)
{
	dap_args_launch *c = &s->cfg;
	if (nw == 1 && strcmp(w[0], "-clear") == 0) {
		for (size_t i = 0; i < c->nsubstitute_path; i++) {
			free(c->substitute_path[i].from);
			free(c->substitute_path[i].to);
		}
		c->nsubstitute_path = 0;
		return 0;
	}
	if (nw < 1 || nw > 2)
		return gd_err_set(err, "usage: dlv config substitutePath FROM [TO] | -clear");
	for (size_t i = 0; i < c->nsubstitute_path; i++) {
		if (strcmp(c->substitute_path[i].from, w[0]) != 0)
			continue;
		free(c->substitute_path[i].from);
		free(c->substitute_path[i].to);
		memmove(&c->substitute_path[i], &c->substitute_path[i + 1],
			(c->nsubstitute_path - i - 1) * sizeof(*c->substitute_path));
		c->nsubstitute_path--;
		break;
	}
	if (nw == 1)
		return 0;
	dap_args_subst *ns = realloc(c->substitute_path,
				     (c->nsubstitute_path + 1) * sizeof(*ns));
	if (!ns)
		return gd_err_set(err, "out of memory");
	c->substitute_path = ns;
	ns[c->nsubstitute_path].from = strdup(w[0]);
	ns[c->nsubstitute_path].to = strdup(w[1]);
	if (!ns[c->nsubstitute_path].from || !ns[c->nsubstitute_path].to) {
		free(ns[c->nsubstitute_path].from);
		free(ns[c->nsubstitute_path].to);
		return gd_err_set(err, "out of memory");
	}
	c->nsubstitute_path++;
	return 0;
}

/* "config NAME VALUE...": rest is the text after NAME. */
static int config_set(dap_session *s, const char *name, const char *rest,
		      char **w, size_t nw, gd_buf *out, gd_err *err)
{
	dap_args_launch *c = &s->cfg;
	const char *area = "variables";
	if (strcmp(name, "substitutePath") == 0) {
		if (set_subst(s, w, nw, err) < 0)
			return -1;
		area = "stacks";
	} else if (strcmp(name, "goroutineFilters") == 0) {
		grt_gfilter *gf = NULL;
		if (grt_gfilter_parse(rest, &gf, err) < 0)
			return -1;
		char *copy = strdup(rest);
		if (!copy) {
			grt_gfilter_free(gf);
			return gd_err_set(err, "out of memory");
		}
		grt_gfilter_free(s->gfilter);
		s->gfilter = gf;
		dap_threads_forget(s);
		free(c->goroutine_filters);
		c->goroutine_filters = copy;
		area = "threads";
	} else if (strcmp(name, "showPprofLabels") == 0) {
		int on;
		if (nw == 0)
			return gd_err_set(err, "usage: dlv config showPprofLabels true|false|KEY...");
		char **keys = NULL;
		size_t nkeys = 0;
		if (nw == 1 && parse_bool(w[0], &on) == 0) {
			/* every label, or none */
		} else if (nw == 1 && strcmp(w[0], "*") == 0) {
			on = 1;
		} else {
			on = 1;
			keys = calloc(nw, sizeof(*keys));
			if (!keys)
				return gd_err_set(err, "out of memory");
			for (size_t i = 0; i < nw; i++)
				if (!(keys[nkeys++] = strdup(w[i]))) {
					free_strv(keys, nkeys);
					return gd_err_set(err, "out of memory");
				}
		}
		free_strv(c->pprof_label_keys, c->npprof_label_keys);
		c->pprof_label_keys = keys;
		c->npprof_label_keys = nkeys;
		c->show_pprof_labels = on;
		dap_threads_forget(s);
		area = "threads";
	} else if (nw != 1) {
		return gd_err_set(err, "usage: dlv config %s VALUE", name);
	} else if (strcmp(name, "maxStringLen") == 0 ||
		   strcmp(name, "maxArrayValues") == 0) {
		int n;
		if (parse_count(w[0], &n) < 0)
			return gd_err_set(err, "%s must be a number from 1 to %d",
					  name, DAP_ARGS_MAX_COUNT);
		if (name[3] == 'S')
			c->max_string_len = n;
		else
			c->max_array_values = n;
		if (dbg_has_target(s->dbg))
			grt_set_limits(dbg_rt(s->dbg), (uint64_t)c->max_string_len,
				       (uint64_t)c->max_array_values);
	} else if (strcmp(name, "stackTraceDepth") == 0) {
		if (parse_count(w[0], &c->stack_trace_depth) < 0)
			return gd_err_set(err, "stackTraceDepth must be a number "
					  "from 1 to %d", DAP_ARGS_MAX_COUNT);
		area = "stacks";
	} else if (strcmp(name, "hideSystemGoroutines") == 0 ||
		   strcmp(name, "showGlobalVariables") == 0 ||
		   strcmp(name, "showRegisters") == 0) {
		int *f = name[0] == 'h' ? &c->hide_system_goroutines :
			 name[4] == 'G' ? &c->show_global_variables : &c->show_registers;
		if (parse_bool(w[0], f) < 0)
			return gd_err_set(err, "%s must be true or false", name);
		if (name[0] == 'h')
			area = "threads";
	} else if (strcmp(name, "disassembleFlavor") == 0) {
		if (strcmp(w[0], "go") != 0 && strcmp(w[0], "intel") != 0 &&
		    strcmp(w[0], "gnu") != 0)
			return gd_err_set(err, "disassembleFlavor must be go, intel or gnu");
		char *v = strdup(w[0]);
		if (!v)
			return gd_err_set(err, "out of memory");
		free(c->disassemble_flavor);
		c->disassemble_flavor = v;
		area = "all";
	} else {
		return gd_err_set(err, "unknown setting '%s' (dlv config -list "
				  "shows them)", name);
	}
	gd_buf_printf(out, "%s set", name);
	if (s->client_invalidated) {
		cJSON *b = cJSON_CreateObject();
		cJSON *areas = cJSON_AddArrayToObject(b, "areas");
		cJSON_AddItemToArray(areas, cJSON_CreateString(area));
		dap_event(s, "invalidated", b);
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int sources(dap_session *s, const char *rx, gd_buf *out, gd_err *err)
{
	if (!dbg_has_target(s->dbg))
		return gd_err_set(err, "no program is loaded");
	regex_t re;
	int have = rx && *rx;
	if (have) {
		int rc = regcomp(&re, rx, REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			char msg[256];
			regerror(rc, &re, msg, sizeof(msg));
			return gd_err_set(err, "bad regular expression '%s': %s", rx, msg);
		}
	}
	size_t n;
	int rc = gdw_files(dbg_dwarf(s->dbg), &n, err);
	const char **v = rc == 0 ? calloc(n ? n : 1, sizeof(*v)) : NULL;
	size_t k = 0;
	if (rc == 0 && !v)
		rc = gd_err_set(err, "out of memory");
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const char *f = gdw_file_name(dbg_dwarf(s->dbg), i);
		if (!f || f[0] == '<')
			continue;
		if (have && regexec(&re, f, 0, NULL, 0) != 0)
			continue;
		v[k++] = f;
	}
	if (rc == 0) {
		if (k > 1)
			qsort(v, k, sizeof(*v), cmp_str);
		for (size_t i = 0; i < k; i++) {
			char *p = dap_path_to_client(s, v[i]);
			gd_buf_printf(out, "%s\n", p ? p : v[i]);
			free(p);
		}
	}
	free(v);
	if (have)
		regfree(&re);
	return rc;
}

static int goroutines(dap_session *s, const char *filters, gd_buf *out,
		      gd_err *err)
{
	if (s->state != DAP_STOPPED || !dbg_has_target(s->dbg))
		return gd_err_set(err, "the program is not stopped");
	grt_gfilter *own = NULL;
	const grt_gfilter *f = s->gfilter;
	if (filters && *filters) {
		if (grt_gfilter_parse(filters, &own, err) < 0)
			return -1;
		f = own;
	}
	grt_target *rt = dbg_rt(s->dbg);
	const grt_goroutine *gs;
	size_t n;
	if (grt_goroutines(rt, &gs, &n, err) < 0) {
		grt_gfilter_free(own);
		return -1;
	}
	/* With -group: one pass per group, in order of first appearance. */
	char **groups = calloc(n ? n : 1, sizeof(*groups));
	if (!groups) {
		grt_gfilter_free(own);
		return gd_err_set(err, "out of memory");
	}
	size_t shown = 0;
	for (size_t i = 0; i < n; i++)
		groups[i] = grt_gfilter_match(rt, f, &gs[i]) ?
				    grt_gfilter_group(rt, f, &gs[i]) : NULL;
	int grouped = 0;
	for (size_t i = 0; i < n; i++)
		grouped |= groups[i] != NULL;
	for (size_t gi = 0; gi < (grouped ? n : 1); gi++) {
		const char *grp = grouped ? groups[gi] : NULL;
		if (grouped) {
			int first = grp != NULL;
			for (size_t j = 0; first && j < gi; j++)
				if (groups[j] && strcmp(groups[j], grp) == 0)
					first = 0;
			if (!first)
				continue;
			gd_buf_printf(out, "Group %s:\n", grp);
		}
		for (size_t i = 0; i < n; i++) {
			const grt_goroutine *g = &gs[i];
			if (!grt_gfilter_match(rt, f, g))
				continue;
			if (grouped && (!groups[i] || strcmp(groups[i], grp) != 0))
				continue;
			gd_buf_printf(out, "%s Goroutine %llu - User: ",
				      g->goid == dbg_current_goid(s->dbg) ? "*" : " ",
				      (unsigned long long)g->goid);
			/* -1: the stack cannot be read; the line then says "?:0 ?" */
			(void)grt_goroutine_loc(rt, g, GRT_LOC_USER, out);
			const char *why = g->status == GRT_GWAITING
						  ? grt_waitreason(rt, g->waitreason) : NULL;
			if (why)
				gd_buf_printf(out, " [%s]", why);
			else if (g->tid)
				gd_buf_printf(out, " [running on thread %d]", (int)g->tid);
			gd_buf b = GD_BUF_INIT;
			if (grt_labels_text(rt, g, NULL, 0, &b) > 0)
				gd_buf_printf(out, " {%s}", b.data + 1);
			gd_buf_free(&b);
			gd_buf_puts(out, "\n");
			shown++;
		}
	}
	gd_buf_printf(out, "[%zu goroutines]\n", shown);
	for (size_t i = 0; i < n; i++)
		free(groups[i]);
	free(groups);
	grt_gfilter_free(own);
	return 0;
}

int dap_console(dap_session *s, const cJSON *req, const char *expr)
{
	while (isspace((unsigned char)*expr))
		expr++;
	if (strncmp(expr, "dlv", 3) != 0 ||
	    (expr[3] && !isspace((unsigned char)expr[3])))
		return 0;
	const char *line = expr + 3;
	while (isspace((unsigned char)*line))
		line++;
	/* Words, for the commands that take words. */
	char *copy = strdup(line);
	char *w[64];
	size_t nw = 0;
	char *save = NULL;
	for (char *t = copy ? strtok_r(copy, " \t", &save) : NULL; t && nw < 64;
	     t = strtok_r(NULL, " \t", &save))
		w[nw++] = t;
	gd_buf out = GD_BUF_INIT;
	gd_err err = GD_ERR_INIT;
	int rc = 0;
	if (!copy) {
		rc = gd_err_set(&err, "out of memory");
	} else if (nw == 0 || strcmp(w[0], "help") == 0) {
		gd_buf_puts(&out, help_text);
	} else if (strcmp(w[0], "config") == 0) {
		if (nw == 1 || strcmp(w[1], "-list") == 0) {
			config_list(s, &out);
		} else {
			/* The text after the setting's name, as typed. */
			const char *rest = strstr(line, w[1]) + strlen(w[1]);
			while (isspace((unsigned char)*rest))
				rest++;
			rc = config_set(s, w[1], rest, w + 2, nw - 2, &out, &err);
		}
	} else if (strcmp(w[0], "sources") == 0) {
		rc = sources(s, nw > 1 ? w[1] : NULL, &out, &err);
	} else if (strcmp(w[0], "goroutines") == 0) {
		const char *rest = strstr(line, "goroutines") + strlen("goroutines");
		while (isspace((unsigned char)*rest))
			rest++;
		rc = goroutines(s, rest, &out, &err);
	} else {
		rc = gd_err_set(&err, "unknown command '%s' (dlv help lists them)", w[0]);
	}
	if (rc < 0) {
		gd_err_wrap(&err, "dlv %s", nw ? w[0] : "");
		free(copy);
		gd_buf_free(&out);
		dap_respond_err(s, req, &err);
		return 1;
	}
	free(copy);
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "result", out.data ? out.data : "");
	cJSON_AddNumberToObject(body, "variablesReference", 0);
	gd_buf_free(&out);
	dap_respond(s, req, body);
	return 1;
}
