// layers.cpp — nonlinearities and the dense-layout Batch Normalization of the training engine.
#include "bnkata/training/layers.hpp"

#include <cmath>

#include "bnkata/training/portable_math.hpp"

namespace bnkata::training {

namespace {
// e^x: the portable float32 version on the fast path (same bits natively and in WASM); std::exp in the
// double instantiation, which only the gradient checks use.
inline float exp_of(float x) { return exp_f32(x); }
inline double exp_of(double x) { return std::exp(x); }
}  // namespace

// ---------------------------------------------------------------------------------------------------
// Nonlinearities.
template <typename Real>
void activation_forward(Real* a, const Real* u, std::size_t n, Activation f) {
    switch (f) {
        case Activation::sigmoid:
            for (std::size_t i = 0; i < n; ++i) a[i] = Real(1) / (Real(1) + exp_of(-u[i]));
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
// Batch Normalization on (N,O). Every loop runs n outer, o inner: contiguous, independent lanes.
template <typename Real>
void BnCache<Real>::resize(std::size_t O) {
    mean.assign(O, 0.0);
    var.assign(O, 0.0);
    mean_r.assign(O, Real(0));
    rstd.assign(O, Real(0));
    scratch_a.assign(O, 0.0);
    scratch_b.assign(O, 0.0);
    scratch_c.assign(O, 0.0);
}

template <typename Real>
void bn_forward_train(Real* y, BnCache<Real>& cache, const Real* x, const Real* gamma, const Real* beta,
                      std::size_t N, std::size_t O, double eps) {
    const double count = static_cast<double>(N);
    double* sum = cache.scratch_a.data();
    double* m2 = cache.scratch_b.data();
    double* scale = cache.scratch_c.data();
    // Pass 1: the mean, summed in double.
    for (std::size_t o = 0; o < O; ++o) sum[o] = 0.0;
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t o = 0; o < O; ++o) sum[o] += x[n * O + o];
    for (std::size_t o = 0; o < O; ++o) cache.mean[o] = sum[o] / count;
    // Pass 2: squared deviations from that mean (two-pass: a unit at 1e8 + N(0,1) keeps its variance).
    for (std::size_t o = 0; o < O; ++o) m2[o] = 0.0;
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t o = 0; o < O; ++o) {
            const double d = x[n * O + o] - cache.mean[o];
            m2[o] += d * d;
        }
    // Per unit: the biased variance (it is what normalises), rstd cached for backward, γ folded in.
    for (std::size_t o = 0; o < O; ++o) {
        cache.var[o] = m2[o] / count;
        const double rstd = 1.0 / std::sqrt(cache.var[o] + eps);
        cache.mean_r[o] = static_cast<Real>(cache.mean[o]);
        cache.rstd[o] = static_cast<Real>(rstd);
        scale[o] = static_cast<double>(gamma[o]) * rstd;
    }
    // Pass 3: y = (x − μ)·scale + β, element-wise in Real (the core's order of operations).
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t o = 0; o < O; ++o)
            y[n * O + o] = (x[n * O + o] - cache.mean_r[o]) * static_cast<Real>(scale[o]) + beta[o];
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

// Derivation (per unit, r = rstd, x̂ = (x − μ)·r, M = N values): dβ = Σ dy, dγ = Σ dy·x̂, and
//   dx = γ·r·(dy − dβ/M − x̂·dγ/M)
// — the upstream gradient minus its mean (the path through μ_B) minus its projection on x̂ (the path
// through σ²_B). Written as the core writes it: dx = (dy − dβ/M)·γr − (x − μ)·γr²·dγ/M.
// Without the paths through the statistics only the first factor remains: dx = γ·r·dy.
template <typename Real>
void bn_backward(Real* dx, Real* dgamma, Real* dbeta, const Real* dy, const Real* x, BnCache<Real>& cache,
                 const Real* gamma, std::size_t N, std::size_t O, bool through_stats) {
    const double count = static_cast<double>(N);
    double* sum_dy = cache.scratch_a.data();
    double* sum_dy_xmu = cache.scratch_b.data();
    for (std::size_t o = 0; o < O; ++o) sum_dy[o] = sum_dy_xmu[o] = 0.0;
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t o = 0; o < O; ++o) {
            sum_dy[o] += dy[n * O + o];
            sum_dy_xmu[o] += dy[n * O + o] * (x[n * O + o] - static_cast<double>(cache.mean_r[o]));
        }
    for (std::size_t o = 0; o < O; ++o) {
        dbeta[o] = static_cast<Real>(sum_dy[o]);
        dgamma[o] = static_cast<Real>(static_cast<double>(cache.rstd[o]) * sum_dy_xmu[o]);
    }
    if (!through_stats) {
        for (std::size_t n = 0; n < N; ++n)
            for (std::size_t o = 0; o < O; ++o) dx[n * O + o] = dy[n * O + o] * (gamma[o] * cache.rstd[o]);
        return;
    }
    // Reuse the scratch: a = mean of dy, b = γ·r, c = γ·r²·dγ/M (all per unit, in double), then Real.
    double* mean_dy = cache.scratch_a.data();
    double* k = cache.scratch_b.data();
    double* k_xmu = cache.scratch_c.data();
    for (std::size_t o = 0; o < O; ++o) {
        const double r = cache.rstd[o];
        const double dg = r * sum_dy_xmu[o];
        mean_dy[o] = sum_dy[o] / count;
        k[o] = static_cast<double>(gamma[o]) * r;
        k_xmu[o] = k[o] * r * dg / count;
    }
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t o = 0; o < O; ++o)
            dx[n * O + o] = (dy[n * O + o] - static_cast<Real>(mean_dy[o])) * static_cast<Real>(k[o]) -
                            (x[n * O + o] - cache.mean_r[o]) * static_cast<Real>(k_xmu[o]);
}

#define BNKATA_INSTANTIATE(Real)                                                                           \
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
