/* libFuzzer harness: the DAP framing reader fed in pieces, what the
 * session does with each body (cJSON, or the salvage of a body that is not
 * JSON), and program output made UTF-8 (the same bytes cut anywhere give
 * the same text).  The first byte chooses the piece sizes. */
#include "dap_framing.h"
#include "dap_salvage.h"
#include "dap_utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void utf8_check(const uint8_t *data, size_t size, size_t cut)
{
	gd_buf whole = GD_BUF_INIT, parts = GD_BUF_INIT;
	dap_utf8_clean((const char *)data, size, 1, &whole);
	/* In pieces of `cut` bytes, the tail carried as the output loop does. */
	char carry[8];
	size_t ncarry = 0, off = 0;
	while (off < size) {
		size_t n = size - off < cut ? size - off : cut;
		char *buf = malloc(ncarry + n);
		if (!buf)
			break;
		memcpy(buf, carry, ncarry);
		memcpy(buf + ncarry, data + off, n);
		size_t have = ncarry + n;
		size_t used = dap_utf8_clean(buf, have, 0, &parts);
		if (have - used > 3)
			abort();
		ncarry = have - used;
		memcpy(carry, buf + used, ncarry);
		free(buf);
		off += n;
	}
	dap_utf8_clean(carry, ncarry, 1, &parts);
	if (whole.len != parts.len ||
	    (whole.len && memcmp(whole.data, parts.data, whole.len) != 0))
		abort();
	gd_buf_free(&whole);
	gd_buf_free(&parts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t cut = (size_t)(data[0] % 17) + 1;
	data++;
	size--;
	utf8_check(data, size, cut);

	dap_framing *fr = NULL;
	gd_err err = GD_ERR_INIT;
	/* A small body limit reaches the over-the-limit paths too. */
	if (dap_framing_new(&fr, 4096, &err) < 0)
		return 0;
	size_t off = 0;
	while (off < size) {
		size_t n = size - off < cut ? size - off : cut;
		if (dap_framing_feed(fr, data + off, n) < 0)
			abort();
		off += n;
		for (;;) {
			char *body = NULL;
			size_t len = 0;
			int rc = dap_framing_next(fr, &body, &len, &err);
			if (rc < 0) {
				gd_err_clear(&err);
				continue;
			}
			if (rc == 0)
				break;
			cJSON *msg = cJSON_ParseWithLength(body, len);
			if (msg) {
				cJSON_Delete(msg);
			} else {
				dap_salvage sv;
				if (dap_salvage_scan(body, len, &sv) == 0)
					dap_salvage_free(&sv);
			}
			free(body);
		}
		if (dap_framing_buffered(fr) > DAP_FRAMING_MAX_HEADER + 4096 + cut + 64)
			abort(); /* garbage must not pile up */
	}
	dap_framing_free(fr);
	return 0;
}
