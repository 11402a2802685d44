// The AVX-512 tile of the matrix-product kernel (Nearest.c): 8 query rows × 24
// reference rows held in 24 zmm accumulators, each starting at the reference row's
// squared norm and accumulating q_k · (−2 r_k) with fused multiply-adds over
// k = 0 … d − 1 (the register blocking of Goto & van de Geijn 2008, a BLIS-style
// 8 × 24 micro-kernel); the epilogue compares every lane with its query's threshold
// and hands the rare lanes at or below it to cnn_offer.
#include "Internal.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define TARGET __attribute__((target("avx512f,avx512dq,avx2,fma")))

TARGET static inline void epilogue(cnn_state *s, size_t i, size_t j0, __m512d a, __m512d b, __m512d c) {
    __m512d t = _mm512_set1_pd(s->threshold[i]);
    uint64_t mask = (uint64_t)_mm512_cmp_pd_mask(a, t, _CMP_LE_OQ)
                  | (uint64_t)_mm512_cmp_pd_mask(b, t, _CMP_LE_OQ) << 8
                  | (uint64_t)_mm512_cmp_pd_mask(c, t, _CMP_LE_OQ) << 16;
    if (mask) {
        double v[24];
        _mm512_storeu_pd(v, a);
        _mm512_storeu_pd(v + 8, b);
        _mm512_storeu_pd(v + 16, c);
        cnn_offer(s, i, j0, mask, v);
    }
}

TARGET void cnn_tiles_avx512(cnn_state *s, size_t i0, size_t p0, size_t p1) {
    const size_t d = s->d, m = s->m, W = CNN_AVX512_WIDTH;
    const size_t rows = m - i0 < CNN_AVX512_ROWS ? m - i0 : CNN_AVX512_ROWS;
    // Rows past the end repeat the last query; their results are not offered.
    const double *q[CNN_AVX512_ROWS];
    for (size_t r = 0; r < CNN_AVX512_ROWS; r++) q[r] = s->queries + (r < rows ? i0 + r : m - 1) * d;
    const double *q0 = q[0], *q1 = q[1], *q2 = q[2], *q3 = q[3], *q4 = q[4], *q5 = q[5], *q6 = q[6], *q7 = q[7];
    for (size_t p = p0; p < p1; p++) {
        const double *b = s->panels + p * d * W, *nr = s->norms + p * W;
        const __m512d n0 = _mm512_loadu_pd(nr), n1 = _mm512_loadu_pd(nr + 8), n2 = _mm512_loadu_pd(nr + 16);
        __m512d a00 = n0, a01 = n1, a02 = n2, a10 = n0, a11 = n1, a12 = n2;
        __m512d a20 = n0, a21 = n1, a22 = n2, a30 = n0, a31 = n1, a32 = n2;
        __m512d a40 = n0, a41 = n1, a42 = n2, a50 = n0, a51 = n1, a52 = n2;
        __m512d a60 = n0, a61 = n1, a62 = n2, a70 = n0, a71 = n1, a72 = n2;
        for (size_t k = 0; k < d; k++) {
            const __m512d r0 = _mm512_load_pd(b + k * W), r1 = _mm512_load_pd(b + k * W + 8),
                          r2 = _mm512_load_pd(b + k * W + 16);
            __m512d x;
#define ROW(R) x = _mm512_set1_pd(q##R[k]); \
               a##R##0 = _mm512_fmadd_pd(x, r0, a##R##0); \
               a##R##1 = _mm512_fmadd_pd(x, r1, a##R##1); \
               a##R##2 = _mm512_fmadd_pd(x, r2, a##R##2);
            ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5) ROW(6) ROW(7)
#undef ROW
        }
        const size_t j0 = p * W;
        epilogue(s, i0, j0, a00, a01, a02);
        if (rows > 1) epilogue(s, i0 + 1, j0, a10, a11, a12);
        if (rows > 2) epilogue(s, i0 + 2, j0, a20, a21, a22);
        if (rows > 3) epilogue(s, i0 + 3, j0, a30, a31, a32);
        if (rows > 4) epilogue(s, i0 + 4, j0, a40, a41, a42);
        if (rows > 5) epilogue(s, i0 + 5, j0, a50, a51, a52);
        if (rows > 6) epilogue(s, i0 + 6, j0, a60, a61, a62);
        if (rows > 7) epilogue(s, i0 + 7, j0, a70, a71, a72);
    }
}

#else
void cnn_tiles_avx512(cnn_state *s, size_t i0, size_t p0, size_t p1) { (void)s; (void)i0; (void)p0; (void)p1; }
#endif
