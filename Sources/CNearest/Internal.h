#ifndef CNEAREST_INTERNAL_H
#define CNEAREST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/// Candidates kept per query before it falls back to a full exact scan.
#define CNN_CANDIDATES 16

/// The state the kernels share with the candidate bookkeeping (Candidates.c).
/// Reference rows are packed in panels of `width` rows, coordinate-major
/// (panel p, coordinate k: −2·r for rows p·width … p·width + width − 1), with each
/// padded row's squared norm in `norms` (+∞ for the padding, so it is never a
/// candidate).
typedef struct {
    size_t m, n, d;
    int excluding_self;
    const double *queries;
    const double *panels;
    const double *norms;
    double *best_approx;   // per query: the least approximate value ‖r‖² − 2q·r so far
    double *threshold;     // per query: best_approx + tolerance (+∞ until the first)
    const double *tolerance;
    int32_t *count;        // per query: candidates held
    int32_t *candidate;    // per query: CNN_CANDIDATES row indices, ascending
    double *value;         // their approximate values
    uint8_t *overflow;     // per query: too many candidates, scan it exactly
} cnn_state;

/// Offers lanes `mask` of a tile row (values v[l] for reference rows j0 + l) to
/// query i: the slow path of a kernel's epilogue, taken only when some lane is at or
/// below the query's threshold.
void cnn_offer(cnn_state *s, size_t i, size_t j0, uint64_t mask, const double *v);

/// The exact answer for query i once every panel has been offered (Candidates.c).
void cnn_resolve(const cnn_state *s, const double *reference, size_t i, double *best, int64_t *index);

/// Kernels: query rows i0 … i0 + 7 (AVX-512, panels of 24) or i0 … i0 + 5 (AVX2,
/// panels of 8) against panels p0 ..< p1.
void cnn_tiles_avx512(cnn_state *s, size_t i0, size_t p0, size_t p1);
void cnn_tiles_avx2(cnn_state *s, size_t i0, size_t p0, size_t p1);

#define CNN_AVX512_ROWS 8
#define CNN_AVX512_WIDTH 24
#define CNN_AVX2_ROWS 6
#define CNN_AVX2_WIDTH 8

#endif
