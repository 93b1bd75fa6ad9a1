#include "handlers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/gd_buf.h"

/* The text of a file the binary names that the client cannot read: from
 * its path, or this machine's GOROOT or module cache. */
void dap_h_source(dap_session *s, const cJSON *req, dap_args_source *a)
{
	char *bin = NULL;
	if (a->source_reference > 0) {
		const char *p = dap_source_ref_path(s, a->source_reference);
		if (!p) {
			dap_respond_error(s, req, "source: unknown sourceReference %d",
					  a->source_reference);
			return;
		}
		bin = strdup(p);
	} else {
		bin = dap_path_to_binary(s, a->source_path);
	}
	char *local = NULL;
	if (!bin || grt_source_find(bin, &local) < 0) {
		dap_respond_error(s, req, "source: %s is not on this machine "
				  "(looked at the path, under GOROOT and in the "
				  "module cache)", bin ? bin : "the file");
		free(bin);
		return;
	}
	FILE *f = fopen(local, "re");
	gd_buf b = GD_BUF_INIT;
	char chunk[8192];
	size_t got;
	int ok = f != NULL;
	while (ok && (got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (gd_buf_append(&b, chunk, got) < 0)
			ok = 0;
	if (f && ferror(f))
		ok = 0;
	if (f)
		(void)fclose(f); /* read only: nothing to lose */
	if (!ok) {
		dap_respond_error(s, req, "source: cannot read %s: %s", local,
				  strerror(errno ? errno : EIO));
		gd_buf_free(&b);
		free(local);
		free(bin);
		return;
	}
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "content", b.data ? b.data : "");
	cJSON_AddStringToObject(body, "mimeType", "text/x-go");
	gd_buf_free(&b);
	free(local);
	free(bin);
	dap_respond(s, req, body);
}
