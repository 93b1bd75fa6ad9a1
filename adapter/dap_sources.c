/* DAP Source objects, and the sourceReferences of files that are not on
 * this machine (the `source` request serves their text). */
#include "dap_internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/gd_array.h"

/* The reference of binary path p, made on first use; 0 out of memory. */
static int source_ref(dap_session *s, const char *p)
{
	for (size_t i = 0; i < s->nsrcrefs; i++)
		if (strcmp(s->srcrefs[i], p) == 0)
			return (int)i + 1;
	if (s->nsrcrefs >= 0x7fffffff ||
	    gd_grow(&s->srcrefs, &s->capsrcrefs, s->nsrcrefs,
		    sizeof(*s->srcrefs), 16) < 0)
		return 0;
	char *copy = strdup(p);
	if (!copy)
		return 0;
	s->srcrefs[s->nsrcrefs++] = copy;
	return (int)s->nsrcrefs;
}

cJSON *dap_source_json(dap_session *s, const char *binary_path)
{
	cJSON *src = cJSON_CreateObject();
	char *p = dap_path_to_client(s, binary_path);
	const char *cp = p ? p : binary_path;
	const char *slash = strrchr(cp, '/');
	cJSON_AddStringToObject(src, "name", slash ? slash + 1 : cp);
	cJSON_AddStringToObject(src, "path", cp);
	if (access(cp, R_OK) != 0) {
		int ref = source_ref(s, binary_path);
		if (ref > 0)
			cJSON_AddNumberToObject(src, "sourceReference", ref);
	}
	free(p);
	return src;
}

const char *dap_source_ref_path(dap_session *s, int ref)
{
	if (ref <= 0 || (size_t)ref > s->nsrcrefs)
		return NULL;
	return s->srcrefs[ref - 1];
}

void dap_sources_free(dap_session *s)
{
	for (size_t i = 0; i < s->nsrcrefs; i++)
		free(s->srcrefs[i]);
	free(s->srcrefs);
	s->srcrefs = NULL;
	s->nsrcrefs = s->capsrcrefs = 0;
}
