/* gd_float_format against what Go prints: each line of the file given as
 * argv[1] (made by test/fixtures/floatfmt, a real Go program) is
 * "64|32 <IEEE bits in hex> <strconv.FormatFloat(f, 'g', -1, bits)>".
 * test_presentation.py pipes a freshly built floatfmt's output in too. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gd_float.h"
#include "gd_test.h"

int main(int argc, char **argv)
{
	FILE *fp = argc > 1 && strcmp(argv[1], "-") != 0 ? fopen(argv[1], "r") : stdin;
	if (!fp) {
		perror(argv[1]);
		return 1;
	}
	char *line = NULL;
	size_t cap = 0;
	int lines = 0;
	while (getline(&line, &cap, fp) > 0) {
		int bits;
		char hex[32], want[400];
		if (sscanf(line, "%d %31s %399s", &bits, hex, want) != 3 ||
		    (bits != 32 && bits != 64)) {
			fprintf(stderr, "bad line: %s", line);
			gd_test_failed++;
			continue;
		}
		uint64_t raw = strtoull(hex, NULL, 16);
		double f;
		if (bits == 64) {
			memcpy(&f, &raw, 8);
		} else {
			uint32_t r32 = (uint32_t)raw;
			float g;
			memcpy(&g, &r32, 4);
			f = g;
		}
		gd_buf b = GD_BUF_INIT;
		CHECK(gd_float_format(&b, f, bits) == 0);
		if (!b.data || strcmp(b.data, want) != 0) {
			fprintf(stderr, "%d %s: want %s, got %s\n", bits, hex, want,
				b.data ? b.data : "(null)");
			gd_test_failed++;
		} else {
			gd_test_passed++;
		}
		gd_buf_free(&b);
		lines++;
	}
	free(line);
	if (fp != stdin)
		fclose(fp);
	CHECK(lines > 1000);
	return GD_TEST_SUMMARY();
}
