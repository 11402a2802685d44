// The AVX2 tile of the matrix-product kernel (Nearest.c), for x86-64 CPUs without
// AVX-512: 6 query rows × 8 reference rows in 12 ymm accumulators (of the 16; BLIS's
// Haswell shape, as 4 × 12 spills one), each starting at the reference row's squared
// norm and accumulating q_k · (−2 r_k) with fused multiply-adds over k = 0 … d − 1
// (the register blocking of Goto & van de Geijn 2008); the epilogue compares every
// lane with its query's threshold and hands the rare lanes at or below it to
// cnn_offer.
#include "Internal.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define TARGET __attribute__((target("avx2,fma")))

TARGET static inline void epilogue(cnn_state *s, size_t i, size_t j0, __m256d a, __m256d b) {
    __m256d t = _mm256_set1_pd(s->threshold[i]);
    uint64_t mask = (uint64_t)_mm256_movemask_pd(_mm256_cmp_pd(a, t, _CMP_LE_OQ))
                  | (uint64_t)_mm256_movemask_pd(_mm256_cmp_pd(b, t, _CMP_LE_OQ)) << 4;
    if (mask) {
        double v[8];
        _mm256_storeu_pd(v, a);
        _mm256_storeu_pd(v + 4, b);
        cnn_offer(s, i, j0, mask, v);
    }
}

TARGET void cnn_tiles_avx2(cnn_state *s, size_t i0, size_t p0, size_t p1) {
    const size_t d = s->d, m = s->m, W = CNN_AVX2_WIDTH;
    const size_t rows = m - i0 < CNN_AVX2_ROWS ? m - i0 : CNN_AVX2_ROWS;
    // Rows past the end repeat the last query; their results are not offered.
    const double *q[CNN_AVX2_ROWS];
    for (size_t r = 0; r < CNN_AVX2_ROWS; r++) q[r] = s->queries + (r < rows ? i0 + r : m - 1) * d;
    const double *q0 = q[0], *q1 = q[1], *q2 = q[2], *q3 = q[3], *q4 = q[4], *q5 = q[5];
    for (size_t p = p0; p < p1; p++) {
        const double *b = s->panels + p * d * W, *nr = s->norms + p * W;
        const __m256d n0 = _mm256_loadu_pd(nr), n1 = _mm256_loadu_pd(nr + 4);
        __m256d a00 = n0, a01 = n1, a10 = n0, a11 = n1, a20 = n0, a21 = n1;
        __m256d a30 = n0, a31 = n1, a40 = n0, a41 = n1, a50 = n0, a51 = n1;
        for (size_t k = 0; k < d; k++) {
            const __m256d r0 = _mm256_load_pd(b + k * W), r1 = _mm256_load_pd(b + k * W + 4);
            __m256d x;
#define ROW(R) x = _mm256_broadcast_sd(q##R + k); \
               a##R##0 = _mm256_fmadd_pd(x, r0, a##R##0); \
               a##R##1 = _mm256_fmadd_pd(x, r1, a##R##1);
            ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5)
#undef ROW
        }
        const size_t j0 = p * W;
        epilogue(s, i0, j0, a00, a01);
        if (rows > 1) epilogue(s, i0 + 1, j0, a10, a11);
        if (rows > 2) epilogue(s, i0 + 2, j0, a20, a21);
        if (rows > 3) epilogue(s, i0 + 3, j0, a30, a31);
        if (rows > 4) epilogue(s, i0 + 4, j0, a40, a41);
        if (rows > 5) epilogue(s, i0 + 5, j0, a50, a51);
    }
}

#else
void cnn_tiles_avx2(cnn_state *s, size_t i0, size_t p0, size_t p1) { (void)s; (void)i0; (void)p0; (void)p1; }
#endif
