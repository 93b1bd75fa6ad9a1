/* Go's shortest float text (gd_float.h).
 *
 * The digits: for each precision p from 1 up, printf's correctly rounded
 * p-digit decimal (%.*e) is the nearest p-digit decimal to f; when it reads
 * back to f it is the shortest, as Go's algorithm finds.  Where f sits just
 * above a power of two its rounding interval is lopsided, and the nearest
 * p-digit decimal can fall outside while its neighbour one unit away is
 * inside: those neighbours are tried too before going to p+1.
 *
 * Ties: printf rounds an exact tie to even, as Go 1.22 and 1.27 do (Go
 * 1.26.8 alone rounds float32 2^-12 = 0.000244140625 up, to
 * "0.00024414063"; test_presentation.py knows that one line).
 * test/unit/float_cases.txt (printed by Go) checks this. */
#include "gd_float.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* mant * 10^exp10 reads back to f at the given width. */
static int reads_back(uint64_t mant, int exp10, double f, int bits)
{
	char s[48];
	snprintf(s, sizeof(s), "%" PRIu64 "e%d", mant, exp10);
	if (bits == 32)
		return strtof(s, NULL) == (float)f;
	return strtod(s, NULL) == f;
}

/* The shortest decimal digits of |f| (f finite, non-zero): *mant with *nd
 * digits, no trailing zeros, value = 0.d1d2...dn * 10^(*dp). */
static void shortest(double f, int bits, uint64_t *mant, int *nd, int *dp)
{
	int maxp = bits == 32 ? 9 : 17;
	uint64_t m = 0;
	int e10 = 0;
	for (int p = 1; p <= maxp; p++) {
		char s[48];
		snprintf(s, sizeof(s), "%.*e", p - 1, f);
		/* s = d[.ddd]e[+-]xx */
		m = 0;
		const char *q = s;
		for (; *q && *q != 'e'; q++)
			if (*q >= '0' && *q <= '9')
				m = m * 10 + (uint64_t)(*q - '0');
		int x = atoi(q + 1);
		e10 = x - (p - 1); /* value = m * 10^e10 */
		if (reads_back(m, e10, f, bits))
			break;
		if (p < maxp) {
			if (m > 1 && reads_back(m - 1, e10, f, bits)) {
				m--;
				break;
			}
			if (reads_back(m + 1, e10, f, bits)) {
				m++;
				break;
			}
		}
	}
	while (m && m % 10 == 0) {
		m /= 10;
		e10++;
	}
	int n = 0;
	for (uint64_t k = m; k; k /= 10)
		n++;
	*mant = m;
	*nd = n ? n : 1;
	*dp = e10 + *nd;
}

int gd_float_format(gd_buf *b, double f, int bits)
{
	if (isnan(f))
		return gd_buf_puts(b, "NaN");
	if (isinf(f))
		return gd_buf_puts(b, f > 0 ? "+Inf" : "-Inf");
	int rc = signbit(f) ? gd_buf_puts(b, "-") : 0;
	f = fabs(f);
	if (f == 0)
		return rc | gd_buf_puts(b, "0");
	uint64_t m;
	int nd, dp;
	shortest(f, bits, &m, &nd, &dp);
	char d[24];
	snprintf(d, sizeof(d), "%" PRIu64, m);
	int exp = dp - 1;
	if (exp < -4 || exp >= 6) {
		rc |= gd_buf_append(b, d, 1);
		if (nd > 1) {
			rc |= gd_buf_puts(b, ".");
			rc |= gd_buf_append(b, d + 1, (size_t)nd - 1);
		}
		rc |= gd_buf_printf(b, "e%c%02d", exp < 0 ? '-' : '+', abs(exp));
	} else if (dp <= 0) {
		rc |= gd_buf_puts(b, "0.");
		for (int i = 0; i < -dp; i++)
			rc |= gd_buf_puts(b, "0");
		rc |= gd_buf_append(b, d, (size_t)nd);
	} else if (dp >= nd) {
		rc |= gd_buf_append(b, d, (size_t)nd);
		for (int i = nd; i < dp; i++)
			rc |= gd_buf_puts(b, "0");
	} else {
		rc |= gd_buf_append(b, d, (size_t)dp);
		rc |= gd_buf_puts(b, ".");
		rc |= gd_buf_append(b, d + dp, (size_t)(nd - dp));
	}
	return rc ? -1 : 0;
}
