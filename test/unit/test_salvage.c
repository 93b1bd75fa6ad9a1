/* dap_salvage_scan: seq, command and type read from bodies that are not
 * valid JSON. */
#include "gd_test.h"
#include "dap_salvage.h"

#include <string.h>

static void one(const char *body, int have_seq, long long seq,
		const char *command, int is_request)
{
	dap_salvage sv;
	CHECK(dap_salvage_scan(body, strlen(body), &sv) == 0);
	CHECK_INT(sv.have_seq, have_seq);
	if (have_seq)
		CHECK_INT(sv.seq, seq);
	if (command)
		CHECK_STR(sv.command, command);
	else
		CHECK(sv.command == NULL);
	CHECK_INT(sv.is_request, is_request);
	dap_salvage_free(&sv);
}

int main(void)
{
	one("{\"seq\": 5, \"type\": \"request\", \"command\": \"evaluate\", "
	    "\"arguments\": {\"expression\": \"\\ud800\"}}", 1, 5, "evaluate", 1);
	one("{\"type\":\"request\",\"arguments\":{\"a\":[1,{\"b\":\"}]\\\"\"}]},"
	    "\"command\":\"threads\",\"seq\":77}", 1, 77, "threads", 1);
	/* cut short: what came before the cut */
	one("{\"seq\": 9, \"type\": \"request\", \"command\": \"threads\", \"ar",
	    1, 9, "threads", 1);
	one("{\"seq\": 9, \"type\": \"requ", 1, 9, NULL, 0);
	/* not a plain integer, escaped command, nested seq */
	one("{\"seq\": -1, \"command\": \"a\\u0062\"}", 0, 0, NULL, 0);
	one("{\"arguments\": {\"seq\": 3}, \"type\": \"event\"}", 0, 0, NULL, 0);
	one("{\"seq\": 99999999999999999999}", 0, 0, NULL, 0);
	one("", 0, 0, NULL, 0);
	one("[1, 2]", 0, 0, NULL, 0);
	one("{\"seq\"", 0, 0, NULL, 0);
	one("{\"seq\":", 0, 0, NULL, 0);
	one("{\"seq\": 4,", 1, 4, NULL, 0);
	/* bytes past the length are never read */
	dap_salvage sv;
	CHECK(dap_salvage_scan("{\"seq\": 12345", 10, &sv) == 0);
	CHECK(sv.have_seq && sv.seq == 12);
	dap_salvage_free(&sv);
	return GD_TEST_SUMMARY();
}
