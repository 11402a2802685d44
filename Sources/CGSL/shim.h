// GSL headers for Swift, plus small inline helpers:
//  - accessors for GSL's generator-type and version globals (Swift 6 rejects
//    mutable C globals as not concurrency-safe);
//  - keyed seeding: GSL's `gsl_rng_set` keeps only 32 bits of a seed, so two chains
//    could share a stream. `collapse_rng_set_key` writes the generator's whole state
//    from a 192-bit key instead, injectively, for the generators it knows.
//  - xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number
//    generators", ACM TOMS 2021) as a GSL generator type, so every GSL variate
//    function can draw from it.
#ifndef COLLAPSE_GSL_SHIM_H
#define COLLAPSE_GSL_SHIM_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_version.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_sf_psi.h>
#include <gsl/gsl_sf_gamma.h>

static inline const char *collapse_gsl_version(void) { return gsl_version; }
static inline const gsl_rng_type *collapse_rng_type_mt19937(void) { return gsl_rng_mt19937; }

// MurmurHash3's 64-bit finalizer: a bijection on 64-bit words.
static inline uint64_t collapse_fmix64(uint64_t x) {
    x ^= x >> 33; x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

// SplitMix64 (Steele, Lea & Flood, OOPSLA 2014): fills state words from one word.
static inline uint64_t collapse_splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// ---- xoshiro256** as a gsl_rng_type ----------------------------------------
typedef struct { uint64_t s[4]; } collapse_xoshiro_state;

static inline uint64_t collapse_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t collapse_xoshiro_next(void *vstate) {
    collapse_xoshiro_state *st = (collapse_xoshiro_state *)vstate;
    uint64_t *s = st->s;
    const uint64_t result = collapse_rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = collapse_rotl(s[3], 45);
    return result;
}
static unsigned long collapse_xoshiro_get(void *vstate) {
    return (unsigned long)(collapse_xoshiro_next(vstate) >> 32);
}
static double collapse_xoshiro_get_double(void *vstate) {
    return (double)(collapse_xoshiro_next(vstate) >> 11) * 0x1.0p-53;
}
static void collapse_xoshiro_set(void *vstate, unsigned long seed) {
    collapse_xoshiro_state *st = (collapse_xoshiro_state *)vstate;
    uint64_t sm = (uint64_t)seed;
    for (int i = 0; i < 4; i++) st->s[i] = collapse_splitmix64(&sm);
}
static inline const gsl_rng_type *collapse_rng_type_xoshiro256starstar(void) {
    static const gsl_rng_type type = {
        "xoshiro256**", 0xffffffffUL, 0, sizeof(collapse_xoshiro_state),
        &collapse_xoshiro_set, &collapse_xoshiro_get, &collapse_xoshiro_get_double
    };
    return &type;
}

// ---- keyed seeding -----------------------------------------------------------
// GSL's mt19937 state (gsl/rng/mt.c): unsigned long mt[624]; int mti.
typedef struct { unsigned long mt[624]; int mti; } collapse_mt19937_state;

// A generator of type T with its state zeroed, not seeded: `gsl_rng_alloc` seeds with
// the default seed (for MT19937, 624 steps of its initialisation recurrence), all of
// which `collapse_rng_set_key` overwrites. Laid out as GSL's own, so `gsl_rng_free`
// frees it. NULL when out of memory.
static inline gsl_rng *collapse_rng_alloc_unseeded(const gsl_rng_type *T) {
    gsl_rng *r = (gsl_rng *)malloc(sizeof(gsl_rng));
    if (!r) return NULL;
    r->state = calloc(1, T->size);
    if (!r->state) { free(r); return NULL; }
    r->type = T;
    return r;
}

// Writes the state of `r` from the key (k0, k1, k2). Distinct keys give distinct
// states: the key words pass through a bijection into fixed state words; the rest
// of the state is filled by SplitMix64. Returns 0, or -1 for a generator whose
// state layout is not known here.
static inline int collapse_rng_set_key(gsl_rng *r, uint64_t k0, uint64_t k1, uint64_t k2) {
    const uint64_t a = collapse_fmix64(k0), b = collapse_fmix64(k1), c = collapse_fmix64(k2);
    uint64_t sm = a ^ collapse_rotl(b, 21) ^ collapse_rotl(c, 42) ^ 0x6a09e667f3bcc909ULL;
    if (r->type == gsl_rng_mt19937 && gsl_rng_size(r) == sizeof(collapse_mt19937_state)) {
        collapse_mt19937_state *st = (collapse_mt19937_state *)r->state;
        for (int i = 0; i < 624; i++) st->mt[i] = (unsigned long)(collapse_splitmix64(&sm) & 0xffffffffULL);
        // Word 0 contributes only its top bit to the 19937-bit state: keys go in 1..6.
        const uint64_t words[3] = {a, b, c};
        for (int i = 0; i < 3; i++) {
            st->mt[1 + 2 * i] = (unsigned long)(words[i] & 0xffffffffULL);
            st->mt[2 + 2 * i] = (unsigned long)(words[i] >> 32);
        }
        st->mti = 624;
        return 0;
    }
    // Compared by name: each Swift object file has its own copy of the static type.
    if (strcmp(r->type->name, collapse_rng_type_xoshiro256starstar()->name) == 0) {
        collapse_xoshiro_state *st = (collapse_xoshiro_state *)r->state;
        st->s[0] = a; st->s[1] = b; st->s[2] = c;
        st->s[3] = collapse_splitmix64(&sm) | 1ULL;  // never the all-zero state
        for (int i = 0; i < 16; i++) (void)collapse_xoshiro_next(st);
        return 0;
    }
    return -1;
}

#endif
