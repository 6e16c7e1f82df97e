// portable_math.hpp — exp, log, sin and cos that give the same bits natively and in WebAssembly.
//
// Why not <cmath>? glibc (native) and musl (Emscripten) implement exp/log/sin differently, and differ in
// the last bit for some inputs. The lab promises that a seed gives bit-identical runs in the page and
// natively, and a figure's seeded batch (draw_batch.hpp) is the same batch everywhere, so every
// transcendental value the training engine and the draws use is computed here from IEEE + − × ÷ alone,
// in a fixed order (no FMA: neither x86-64 without -mfma nor WASM SIMD128 has one, and -std=c++17 keeps
// GCC from contracting). sqrt needs no replacement: IEEE 754 requires it correctly rounded everywhere.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace bnkata {

// e^x in float32 for the hot loops (sigmoid, softmax): about 2 ulp. Range reduction x = n·ln2 + r with
// |r| ≤ ln2/2, a degree-6 Taylor polynomial for e^r, then 2^n built from the exponent bits.
// Inputs below −87.3 give ~1e-38 (no denormals), above 88.72 give +inf, NaN gives NaN.
inline float exp_f32(float x) {
    const float hi = 88.72f, lo = -87.33f;
    const float c = x > hi ? hi : (x < lo ? lo : x);  // NaN stays NaN here (both comparisons are false)
    // Round c·log2(e) to the nearest integer n with the 1.5·2^23 trick: t's low mantissa bits then hold
    // n itself, so n is read from the bits with an integer subtraction — no float→int conversion (which
    // WASM would have to guard against traps) and no branch: the loop around this vectorises.
    const float magic = 12582912.0f;
    const float t = c * 1.44269504f + magic;
    const float n = t - magic;
    const float r = (c - n * 0.693145752f) - n * 1.42860677e-6f;  // ln2 in two parts: n·hi is exact
    const float p = 1.0f + r * (1.0f + r * (0.5f + r * (0.166666672f + r * (0.0416666679f +
                           r * (0.00833333377f + r * 0.00138888892f)))));
    uint32_t t_bits, magic_bits;
    std::memcpy(&t_bits, &t, 4);
    std::memcpy(&magic_bits, &magic, 4);
    // 2^n, n ∈ [−126, 128], as two factors 2^(n−n/2)·2^(n/2) so that n = 128 (→ inf) and n = −126 are exact.
    const uint32_t n_bits = t_bits - magic_bits;                        // n, two's complement
    const uint32_t half = static_cast<uint32_t>(static_cast<int32_t>(n_bits) >> 1);
    const uint32_t b1 = (half + 127u) << 23, b2 = (n_bits - half + 127u) << 23;
    float s1, s2;
    std::memcpy(&s1, &b1, 4);
    std::memcpy(&s2, &b2, 4);
    const float result = x > hi ? std::numeric_limits<float>::infinity() : p * s1 * s2;
    return x == x ? result : x;
}

// e^x in a kernel templated on its precision: exp_f32 in the float32 instantiation, which training runs
// (same bits natively and in WASM); std::exp in the double one, which only the gradient checks use.
inline float exp_of(float x) { return exp_f32(x); }
inline double exp_of(double x) { return std::exp(x); }

// Natural logarithm in double, accurate to ~1 ulp: x = m·2^e with m ∈ [√½, √2), then
// log m = 2·atanh(f), f = (m − 1)/(m + 1), |f| ≤ 0.172, by its odd series. log 0 = −inf; log x<0 = NaN.
double log_f64(double x);

// sin and cos in double (about 1e-15 absolute for |x| < 1e3): reduce to [−π, π], then Taylor series.
// Used only to generate the synthetic data sets.
double sin_f64(double x);
double cos_f64(double x);

}  // namespace bnkata
