#ifndef CNEARESTNEIGHBOURS_H
#define CNEARESTNEIGHBOURS_H

#include <stddef.h>
#include <stdint.h>

/// Which kernel `cnearest_nearest` may use: the best the CPU supports, or one in
/// particular (for tests; 0 is returned when the CPU lacks it).
enum {
    CNEAREST_KERNEL_AUTO = 0,
    CNEAREST_KERNEL_AVX2 = 1,
    CNEAREST_KERNEL_AVX512 = 2,
};

/// Exact nearest neighbours by a fused-multiply-add matrix product with an exact
/// recheck (see Nearest.c): for each of the m query rows (row-major, width d), the
/// squared distance to its nearest reference row, summed exactly as the scalar scan
/// Σₖ (qₖ − rₖ)² (k = 0 … d − 1, separate multiply and add), into best[i], and that
/// row's index (the first of equally near rows; −1 if there is none) into index[i].
/// With excluding_self, row i skips reference row i. Returns 1 when done, 0 when
/// the caller must scan itself: no x86-64 kernel for this CPU, or an input that is
/// not finite or exceeds 2^200 in magnitude, or m or n is 0.
int cnearest_nearest(const double *queries, size_t m, const double *reference, size_t n, size_t d,
                     int excluding_self, int kernel, double *best, int64_t *index);

#endif
