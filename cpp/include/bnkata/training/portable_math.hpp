// portable_math.hpp — exp, log, sin and cos that give the same bits natively and in WebAssembly.
//
// Why not <cmath>? glibc (native) and musl (Emscripten) implement exp/log/sin differently, and differ in
// the last bit for some inputs. The lab promises that a seed gives bit-identical runs in the page and
// natively, so every transcendental value the engine uses is computed here from IEEE + − × ÷ alone,
// in a fixed order (no FMA: neither x86-64 without -mfma nor WASM SIMD128 has one, and -std=c++17 keeps
// GCC from contracting). sqrt needs no replacement: IEEE 754 requires it correctly rounded everywhere.
#pragma once

#include <cstdint>
#include <cstring>

namespace bnkata::training {

// e^x in float32 for the hot loops (sigmoid, softmax): about 2 ulp. Range reduction x = n·ln2 + r with
// |r| ≤ ln2/2, a degree-6 Taylor polynomial for e^r, then 2^n built from the exponent bits.
// Inputs below −87.3 give ~0 (no denormals), above 88.7 give +inf, NaN gives NaN.
inline float exp_f32(float x) {
    const float hi = 88.72f, lo = -87.33f;
    float c = x > hi ? hi : (x < lo ? lo : x);  // NaN stays NaN here (both comparisons are false)
    // Round c·log2(e) to the nearest integer with the 1.5·2^23 trick: exact in IEEE float, no lrint.
    const float magic = 12582912.0f;
    float n = (c * 1.44269504f + magic) - magic;
    float r = (c - n * 0.693145752f) - n * 1.42860677e-6f;  // ln2 split in two: hi part exact in n·hi
    float p = 1.0f + r * (1.0f + r * (0.5f + r * (0.166666672f + r * (0.0416666679f +
                     r * (0.00833333377f + r * 0.00138888892f)))));
    // 2^n as bits; n ∈ [−126, 128]: split in two factors so that n = 128 (→ inf) and n = −126 stay exact.
    int32_t ni = static_cast<int32_t>(n == n ? n : 0.0f);
    int32_t n1 = ni / 2, n2 = ni - n1;
    uint32_t b1 = static_cast<uint32_t>(n1 + 127) << 23, b2 = static_cast<uint32_t>(n2 + 127) << 23;
    float s1, s2;
    std::memcpy(&s1, &b1, 4);
    std::memcpy(&s2, &b2, 4);
    float result = p * s1 * s2;
    if (x > hi) result = result * 2.0f;  // guarantees +inf well past the overflow threshold
    return x == x ? result : x;
}

// Natural logarithm in double, accurate to ~1 ulp: x = m·2^e with m ∈ [√½, √2), then
// log m = 2·atanh(f), f = (m − 1)/(m + 1), |f| ≤ 0.172, by its odd series. log 0 = −inf; log x<0 = NaN.
double log_f64(double x);

// sin and cos in double (about 1e-15 absolute for |x| < 1e3): reduce to [−π, π], then Taylor series.
// Used only to generate the synthetic data sets.
double sin_f64(double x);
double cos_f64(double x);

}  // namespace bnkata::training
