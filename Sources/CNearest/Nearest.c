// Exact nearest neighbours through a fused-multiply-add matrix product.
//
// For query q and reference row r the kernels compute, in the order the FMA chain
// takes, a(r) = fl(‖r‖² − 2 q·r) (‖r‖² computed once per row, then
// a ← fma(q_k, −2 r_k, a) for k = 0 … d − 1; scaling by −2 is exact), which orders the
// rows as the distance ‖q‖² + ‖r‖² − 2 q·r does (scikit-learn's brute force, through a
// BLAS product). a(r) is not the scalar scan's sum S(r) = Σₖ (qₖ − rₖ)², so it only
// chooses candidates: every row with a(r) ≤ min_r a(r) + T is rechecked with the exact
// scalar sum, and the least exact sum (first row among equal ones) is the answer.
//
// The tolerance T. Let D(r) = ‖q − r‖² (real arithmetic), u = 2⁻⁵³,
// γₙ = n u / (1 − n u), η = 2⁻¹⁰⁷⁵ (the underflow error of one product) and
// A(r) = a(r) + ‖q‖² (real). Higham (2002, §3.1 and Lemma 3.1):
//   |S(r) − D(r)| ≤ γ_{d+2} ‖q − r‖² + 2dη   (one rounding in the subtraction and the
//                 product of each term, d − 1 in the sum of nonnegative terms);
//   |A(r) − D(r)| ≤ γ_d ‖r‖² + dη  (‖r‖²)  +  γ_d (fl(‖r‖²) + 2 Σ|qₖ rₖ|) + dη  (the
//                 FMA chain: one rounding per step);
// so with ‖q − r‖ ≤ ‖q‖ + ‖r‖ and Σ|qₖrₖ| ≤ ‖q‖‖r‖, E = |S − D| + |A − D| ≤
// γ_{d+2}(‖q‖² + 3.01‖r‖² + 4‖q‖‖r‖) + 5dη ≤ 3.01 γ_{d+2} (‖q‖ + ‖r‖)² + 5dη.
// If s is the row of least S (and first among equal ones) and t that of least a,
//   A(s) ≤ S(s) + E ≤ S(t) + E ≤ A(t) + 2E,  i.e.  a(s) ≤ a(t) + 2E,
// and every row with a(r) > a(t) + 2E has S(r) ≥ A(r) − E > A(t) + E ≥ S(t): it is
// strictly farther than t, so it is neither the nearest nor tied with it. Hence
// T ≥ 2E suffices. The code uses, per query,
//   T = 12 γ_{d+2} (√(fl‖q‖² + d 2⁻¹⁰⁷⁰) + √(max_r fl‖r‖² + d 2⁻¹⁰⁷⁰))² + d 2⁻¹⁰⁶⁰,
// where the added d 2⁻¹⁰⁷⁰ makes each computed squared norm an upper bound of the
// true one up to a factor 1/(1 − γ_d) despite underflow, and the factor 12 (against
// 2 · 3.01) absorbs that factor, the roundings of T itself and of the threshold
// a(t) + T (|a(t)| ≤ (‖q‖ + ‖r‖)² (1 + γ_d)). The analysis needs no overflow, so
// inputs that are not finite or exceed 2²⁰⁰ in magnitude are left to the caller.
// For N(0, I₆₄) rows T ≈ 3·10⁻¹¹, and about one candidate per query survives.
//
// Loop order (Goto & van de Geijn 2008): the reference is packed once into panels
// (Internal.h), taken in chunks of about 512 KB that stay in the L2 cache while every
// block of query rows runs the kernel over them.
#include "CNearest.h"
#include "Internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#pragma STDC FP_CONTRACT OFF
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

#if defined(__x86_64__)

static int usable(const double *x, size_t count) {
    for (size_t i = 0; i < count; i++) if (!(fabs(x[i]) <= 0x1p200)) return 0;
    return 1;
}

static double squared_norm(const double *x, size_t d) {
    double s = 0.0;
    for (size_t k = 0; k < d; k++) s = s + x[k] * x[k];
    return s;
}

int cnearest_nearest(const double *queries, size_t m, const double *reference, size_t n, size_t d,
                     int excluding_self, int kernel, double *best, int64_t *index) {
    __builtin_cpu_init();
    const int has512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
    const int has2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (kernel == CNEAREST_KERNEL_AUTO) kernel = has512 ? CNEAREST_KERNEL_AVX512 : has2 ? CNEAREST_KERNEL_AVX2 : -1;
    if ((kernel == CNEAREST_KERNEL_AVX512 && !has512) || (kernel == CNEAREST_KERNEL_AVX2 && !has2) || kernel < 0) return 0;
    if (m == 0 || n == 0 || d == 0 || n > INT32_MAX || d > (1u << 20)) return 0;
    if (!usable(queries, m * d) || !usable(reference, n * d)) return 0;

    const size_t width = kernel == CNEAREST_KERNEL_AVX512 ? CNN_AVX512_WIDTH : CNN_AVX2_WIDTH;
    const size_t rows = kernel == CNEAREST_KERNEL_AVX512 ? CNN_AVX512_ROWS : CNN_AVX2_ROWS;
    void (*tiles)(cnn_state *, size_t, size_t, size_t) =
        kernel == CNEAREST_KERNEL_AVX512 ? cnn_tiles_avx512 : cnn_tiles_avx2;
    const size_t panels = (n + width - 1) / width;

    double *packed = aligned_alloc(64, ((panels * d * width * sizeof(double)) + 63) / 64 * 64);
    double *norms = malloc(panels * width * sizeof(double));
    double *tolerance = malloc(m * sizeof(double));
    double *best_approx = malloc(m * sizeof(double));
    double *threshold = malloc(m * sizeof(double));
    int32_t *count = calloc(m, sizeof(int32_t));
    int32_t *candidate = malloc(m * CNN_CANDIDATES * sizeof(int32_t));
    double *value = malloc(m * CNN_CANDIDATES * sizeof(double));
    uint8_t *overflow = calloc(m, 1);
    int done = 0;
    if (!packed || !norms || !tolerance || !best_approx || !threshold || !count || !candidate || !value || !overflow)
        goto out;

    double largest = 0.0;
    for (size_t p = 0; p < panels; p++) {
        for (size_t l = 0; l < width; l++) {
            const size_t j = p * width + l;
            double *column = packed + p * d * width + l;
            if (j < n) {
                const double *r = reference + j * d;
                for (size_t k = 0; k < d; k++) column[k * width] = -2.0 * r[k];
                norms[j] = squared_norm(r, d);
                if (norms[j] > largest) largest = norms[j];
            } else {
                for (size_t k = 0; k < d; k++) column[k * width] = 0.0;
                norms[j] = __builtin_inf();
            }
        }
    }
    const double slack = (double)d * 0x1p-1070;
    const double gamma = (double)(d + 2) * 0x1p-53 / (1.0 - (double)(d + 2) * 0x1p-53);
    const double root = sqrt(largest + slack);
    for (size_t i = 0; i < m; i++) {
        const double n2 = sqrt(squared_norm(queries + i * d, d) + slack) + root;
        tolerance[i] = 12.0 * gamma * (n2 * n2) + (double)d * 0x1p-1060;
        best_approx[i] = __builtin_inf();
        threshold[i] = __builtin_inf();
    }

    cnn_state s = {
        .m = m, .n = n, .d = d, .excluding_self = excluding_self, .queries = queries,
        .panels = packed, .norms = norms, .best_approx = best_approx, .threshold = threshold,
        .tolerance = tolerance, .count = count, .candidate = candidate, .value = value, .overflow = overflow,
    };
    size_t chunk = (512u << 10) / (d * width * sizeof(double));
    if (chunk == 0) chunk = 1;
    for (size_t p0 = 0; p0 < panels; p0 += chunk) {
        const size_t p1 = p0 + chunk < panels ? p0 + chunk : panels;
        for (size_t i0 = 0; i0 < m; i0 += rows) tiles(&s, i0, p0, p1);
    }
    for (size_t i = 0; i < m; i++) cnn_resolve(&s, reference, i, best + i, index + i);
    done = 1;
out:
    free(packed); free(norms); free(tolerance); free(best_approx); free(threshold);
    free(count); free(candidate); free(value); free(overflow);
    return done;
}

#else

int cnearest_nearest(const double *queries, size_t m, const double *reference, size_t n, size_t d,
                     int excluding_self, int kernel, double *best, int64_t *index) {
    (void)queries; (void)m; (void)reference; (void)n; (void)d; (void)excluding_self; (void)kernel;
    (void)best; (void)index;
    return 0;
}

#endif
