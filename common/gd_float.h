/* Floating-point text exactly as Go's strconv.FormatFloat(f, 'g', -1, bits)
 * writes it (what fmt's %v prints): the shortest decimal that reads back to
 * the same float32/float64; exponent form ("1e+21", "5e-324",
 * "1.234567e+06") when the decimal exponent is < -4 or >= 6 (Go's rule for
 * the shortest 'g'), plain digits otherwise ("100000", "0.0001");
 * "+Inf", "-Inf", "NaN", "-0". */
#ifndef GD_FLOAT_H
#define GD_FLOAT_H

#include "gd_buf.h"

/* Appends f's text to b; bits is 32 (f holds a float32 value) or 64.
 * 0, or -1 when out of memory. */
int gd_float_format(gd_buf *b, double f, int bits);

#endif
