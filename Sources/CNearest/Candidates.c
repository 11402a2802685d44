// The candidate bookkeeping of the matrix-product kernel (Nearest.c) and its exact
// recheck. Every reference row whose approximate value is at or below its query's
// threshold (the least approximate value so far plus the tolerance) is kept, in
// ascending row order; a new least value drops the candidates above the new
// threshold. At the end the candidates still at or below the final threshold are
// summed exactly in the scalar scan's order, and the least sum (the first row among
// equal ones) is the answer. A query with more than CNN_CANDIDATES candidates (many
// equally near rows) is scanned exactly over the whole reference instead.
#include "Internal.h"

// The exact sums must be a separate multiply and add, never a fused multiply-add.
#pragma STDC FP_CONTRACT OFF
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

/// Σₖ (aₖ − bₖ)², k = 0 … d − 1, one rounding per subtraction, product and sum: the
/// scalar scan's value bit for bit.
static double exact_squared_distance(const double *a, const double *b, size_t d) {
    double s = 0.0;
    for (size_t k = 0; k < d; k++) {
        double t = a[k] - b[k];
        double t2 = t * t;
        s = s + t2;
    }
    return s;
}

void cnn_offer(cnn_state *s, size_t i, size_t j0, uint64_t mask, const double *v) {
    if (s->overflow[i]) return;
    while (mask) {
        const int lane = __builtin_ctzll(mask);
        mask &= mask - 1;
        const size_t j = j0 + (size_t)lane;
        if (j >= s->n || (s->excluding_self && j == i)) continue;
        const double a = v[lane];
        int32_t *cand = s->candidate + i * CNN_CANDIDATES;
        double *val = s->value + i * CNN_CANDIDATES;
        if (a < s->best_approx[i]) {
            s->best_approx[i] = a;
            s->threshold[i] = a + s->tolerance[i];
            int32_t kept = 0;
            for (int32_t c = 0; c < s->count[i]; c++) {
                if (val[c] <= s->threshold[i]) { cand[kept] = cand[c]; val[kept] = val[c]; kept++; }
            }
            s->count[i] = kept;
        }
        // The tile's mask was taken against an older (higher) threshold.
        if (!(a <= s->threshold[i])) continue;
        if (s->count[i] == CNN_CANDIDATES) { s->overflow[i] = 1; return; }
        cand[s->count[i]] = (int32_t)j;
        val[s->count[i]] = a;
        s->count[i]++;
    }
}

/// The exact answer for query i from its candidates (or from a full scan after an
/// overflow): the least exact sum, the first row among equal sums, +∞ and −1 if none.
void cnn_resolve(const cnn_state *s, const double *reference, size_t i, double *best, int64_t *index) {
    const double *q = s->queries + i * s->d;
    double b = __builtin_inf();
    int64_t at = -1;
    if (s->overflow[i]) {
        for (size_t j = 0; j < s->n; j++) {
            if (s->excluding_self && j == i) continue;
            const double e = exact_squared_distance(q, reference + j * s->d, s->d);
            if (e < b) { b = e; at = (int64_t)j; }
        }
    } else {
        const int32_t *cand = s->candidate + i * CNN_CANDIDATES;
        const double *val = s->value + i * CNN_CANDIDATES;
        for (int32_t c = 0; c < s->count[i]; c++) {
            if (!(val[c] <= s->threshold[i])) continue;
            const size_t j = (size_t)cand[c];
            const double e = exact_squared_distance(q, reference + j * s->d, s->d);
            if (e < b) { b = e; at = (int64_t)j; }
        }
    }
    *best = b;
    *index = at;
}
