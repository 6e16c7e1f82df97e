// layers.cpp — nonlinearities and the dense-layout Batch Normalization of the training engine.
#include "bnkata/training/layers.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "bnkata/batchnorm.hpp"
#include "bnkata/normalize.hpp"
#include "bnkata/portable_math.hpp"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace bnkata::training {

namespace {
// exp_f32 four lanes at a time (SSE natively, SIMD128 in WASM): the same operations in the same order
// as the scalar exp_f32, lane by lane, so a value gets the same bits whichever path computes it.
typedef float f32x4 __attribute__((vector_size(16)));
typedef int32_t i32x4 __attribute__((vector_size(16)));
typedef uint32_t u32x4 __attribute__((vector_size(16)));

inline f32x4 splat4(float v) { return f32x4{v, v, v, v}; }
// Lanes of a where mask is set (all ones), else lanes of b.
inline f32x4 select4(i32x4 mask, f32x4 a, f32x4 b) { return (f32x4)(((i32x4)a & mask) | ((i32x4)b & ~mask)); }

// The clamp of x to [lo, hi], NaN kept: x > hi ? hi : (x < lo ? lo : x). In WASM, as f32x4.pmin and
// f32x4.pmax, which are exactly these selects and one instruction each in V8 (minps/maxps), where the
// generic form is two compares and two three-instruction bit-selects.
inline f32x4 clamp4(f32x4 x, f32x4 lo, f32x4 hi) {
#if defined(__wasm_simd128__)
    return (f32x4)wasm_f32x4_pmin(wasm_f32x4_pmax((v128_t)x, (v128_t)lo), (v128_t)hi);  // pmax(a, b) = a < b ? b : a
#else
    return select4(x > hi, hi, select4(x < lo, lo, x));
#endif
}

inline f32x4 exp_f32x4(f32x4 x) {
    const f32x4 hi = splat4(88.72f), lo = splat4(-87.33f), magic = splat4(12582912.0f);
    const f32x4 c = clamp4(x, lo, hi);
    const f32x4 t = c * splat4(1.44269504f) + magic;
    const f32x4 n = t - magic;
    const f32x4 r = (c - n * splat4(0.693145752f)) - n * splat4(1.42860677e-6f);
    const f32x4 p = splat4(1.0f) + r * (splat4(1.0f) + r * (splat4(0.5f) + r * (splat4(0.166666672f) +
                    r * (splat4(0.0416666679f) + r * (splat4(0.00833333377f) + r * splat4(0.00138888892f))))));
    const u32x4 n_bits = (u32x4)t - (u32x4)magic;
    const u32x4 half = (u32x4)((i32x4)n_bits >> 1);
    const u32x4 b1 = (half + 127u) << 23, b2 = (n_bits - half + 127u) << 23;
    const f32x4 result = select4(x > hi, splat4(std::numeric_limits<float>::infinity()), p * (f32x4)b1 * (f32x4)b2);
    return select4(x == x, result, x);
}

// σ(u) = 1/(1 + e^{−u}) for n floats, eight and then four at a time, the tail with the scalar path.
// Two vectors per iteration share the polynomial's ~20 constants: they do not all fit V8's 15 SIMD
// registers beside the work, so V8 reloads some from the stack in every iteration (Node's
// --print-wasm-code shows it) — with two vectors, once per two (docs/benchmarks.md). Same operations per
// lane: the same bits.
void sigmoid_f32(float* a, const float* u, std::size_t n) {
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        f32x4 v0, v1;
        std::memcpy(&v0, u + i, sizeof v0);
        std::memcpy(&v1, u + i + 4, sizeof v1);
        const f32x4 y0 = splat4(1.0f) / (splat4(1.0f) + exp_f32x4(-v0));
        const f32x4 y1 = splat4(1.0f) / (splat4(1.0f) + exp_f32x4(-v1));
        std::memcpy(a + i, &y0, sizeof y0);
        std::memcpy(a + i + 4, &y1, sizeof y1);
    }
    for (; i + 4 <= n; i += 4) {
        f32x4 v;
        std::memcpy(&v, u + i, sizeof v);
        const f32x4 y = splat4(1.0f) / (splat4(1.0f) + exp_f32x4(-v));
        std::memcpy(a + i, &y, sizeof y);
    }
    for (; i < n; ++i) a[i] = 1.0f / (1.0f + exp_f32(-u[i]));
}
void sigmoid_any(float* a, const float* u, std::size_t n) { sigmoid_f32(a, u, n); }
void sigmoid_any(double* a, const double* u, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) a[i] = 1.0 / (1.0 + std::exp(-u[i]));
}
}  // namespace

// ---------------------------------------------------------------------------------------------------
// Nonlinearities.
template <typename Real>
void activation_forward(Real* a, const Real* u, std::size_t n, Activation f) {
    switch (f) {
        case Activation::sigmoid:
            sigmoid_any(a, u, n);
            break;
        case Activation::tanh:
            // tanh u = 2σ(2u) − 1 = (1 − e^{−2u})/(1 + e^{−2u}); for u < 0 use the odd symmetry so that
            // e^{−2u} never overflows.
            for (std::size_t i = 0; i < n; ++i) {
                const Real x = u[i] < Real(0) ? -u[i] : u[i];
                const Real e = exp_of(Real(-2) * x);
                const Real t = (Real(1) - e) / (Real(1) + e);
                a[i] = u[i] < Real(0) ? -t : t;
            }
            break;
        case Activation::relu:
            for (std::size_t i = 0; i < n; ++i) a[i] = u[i] > Real(0) ? u[i] : Real(0);
            break;
    }
}

template <typename Real>
void activation_backward(Real* du, const Real* da, const Real* a, std::size_t n, Activation f) {
    switch (f) {
        case Activation::sigmoid:
            for (std::size_t i = 0; i < n; ++i) du[i] = da[i] * (a[i] * (Real(1) - a[i]));
            break;
        case Activation::tanh:
            for (std::size_t i = 0; i < n; ++i) du[i] = da[i] * (Real(1) - a[i] * a[i]);
            break;
        case Activation::relu:
            for (std::size_t i = 0; i < n; ++i) du[i] = a[i] > Real(0) ? da[i] : Real(0);
            break;
    }
}

// ---------------------------------------------------------------------------------------------------
// Batch Normalization on (N,O): the core's kernels (cpp/src/batchnorm.cpp), so the lab trains with
// exactly the BN the lesson teaches.
template <typename Real>
void BnCache<Real>::resize(std::size_t O) {
    mean.assign(O, 0.0);
    var.assign(O, 0.0);
    mean_r.assign(O, Real(0));
    var_r.assign(O, Real(0));
    rstd.assign(O, Real(0));
}

// The core's kernel, with HW = 1: a dense (N,O) batch is N examples of O channels.
template <typename Real>
void bn_forward_train(Real* y, BnCache<Real>& cache, const Real* x, const Real* gamma, const Real* beta,
                      std::size_t N, std::size_t O, double eps) {
    forward_train(y, cache.mean_r.data(), cache.var_r.data(), cache.rstd.data(), x, gamma, beta, Layout{N, O, 1}, eps,
                  &cache.scratch);
    for (std::size_t o = 0; o < O; ++o) {
        cache.mean[o] = cache.mean_r[o];
        cache.var[o] = cache.var_r[o];
    }
}

template <typename Real>
void bn_forward_eval(Real* y, const Real* x, const Real* gamma, const Real* beta, const double* running_mean,
                     const double* running_var, std::size_t N, std::size_t O, double eps,
                     std::vector<double>& scratch_scale) {
    scratch_scale.resize(O);
    for (std::size_t o = 0; o < O; ++o) scratch_scale[o] = static_cast<double>(gamma[o]) / std::sqrt(running_var[o] + eps);
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t o = 0; o < O; ++o)
            y[n * O + o] = (x[n * O + o] - static_cast<Real>(running_mean[o])) * static_cast<Real>(scratch_scale[o]) + beta[o];
}

// The core's backward gives dγ, dβ (the same with or without the paths through the statistics: y is
// affine in γ and β either way) and the exact dx. Without the paths through μ_B and σ²_B, only the
// direct term of the derivation remains: dx = γ·r·dy.
template <typename Real>
void bn_backward(Real* dx, Real* dgamma, Real* dbeta, const Real* dy, const Real* x, BnCache<Real>& cache,
                 const Real* gamma, std::size_t N, std::size_t O, bool through_stats) {
    backward(dx, dgamma, dbeta, dy, x, cache.mean_r.data(), cache.rstd.data(), gamma, Layout{N, O, 1}, &cache.scratch);
    if (through_stats) return;
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t o = 0; o < O; ++o) dx[n * O + o] = dy[n * O + o] * (gamma[o] * cache.rstd[o]);
}

// ---------------------------------------------------------------------------------------------------
// Layer and group norm on (N,O): the core's group-norm kernels, with HW = 1.
template <typename Real>
void GroupNormCache<Real>::resize(std::size_t N, std::size_t G) {
    mean.assign(N * G, Real(0));
    rstd.assign(N * G, Real(0));
}

template <typename Real>
void group_norm_layer_forward(Real* y, GroupNormCache<Real>& cache, const Real* x, const Real* gamma,
                              const Real* beta, std::size_t N, std::size_t O, std::size_t G, double eps) {
    group_norm_forward(y, cache.mean.data(), static_cast<Real*>(nullptr), cache.rstd.data(), x, gamma, beta,
                       Layout{N, O, 1}, G, eps);
}

template <typename Real>
void group_norm_layer_backward(Real* dx, Real* dgamma, Real* dbeta, const Real* dy, const Real* x,
                               const GroupNormCache<Real>& cache, const Real* gamma, std::size_t N, std::size_t O,
                               std::size_t G) {
    group_norm_backward(dx, dgamma, dbeta, dy, x, cache.mean.data(), cache.rstd.data(), gamma, Layout{N, O, 1}, G);
}

#define BNKATA_INSTANTIATE(Real)                                                                           \
    template struct GroupNormCache<Real>;                                                                  \
    template void group_norm_layer_forward<Real>(Real*, GroupNormCache<Real>&, const Real*, const Real*,   \
                                                 const Real*, std::size_t, std::size_t, std::size_t, double); \
    template void group_norm_layer_backward<Real>(Real*, Real*, Real*, const Real*, const Real*,          \
                                                  const GroupNormCache<Real>&, const Real*, std::size_t,   \
                                                  std::size_t, std::size_t);                               \
    template void activation_forward<Real>(Real*, const Real*, std::size_t, Activation);                  \
    template void activation_backward<Real>(Real*, const Real*, const Real*, std::size_t, Activation);    \
    template struct BnCache<Real>;                                                                         \
    template void bn_forward_train<Real>(Real*, BnCache<Real>&, const Real*, const Real*, const Real*,     \
                                         std::size_t, std::size_t, double);                                \
    template void bn_forward_eval<Real>(Real*, const Real*, const Real*, const Real*, const double*,      \
                                        const double*, std::size_t, std::size_t, double,                   \
                                        std::vector<double>&);                                             \
    template void bn_backward<Real>(Real*, Real*, Real*, const Real*, const Real*, BnCache<Real>&,        \
                                    const Real*, std::size_t, std::size_t, bool);
BNKATA_INSTANTIATE(float)
BNKATA_INSTANTIATE(double)
#undef BNKATA_INSTANTIATE

}  // namespace bnkata::training
