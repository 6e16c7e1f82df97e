// batchnorm.hpp — the Batch Normalization core, read top to bottom like the kata.
//
// Shapes, declared once for the whole core:
//   N  batch size (examples)        C  channels (features)        HW  spatial positions (H·W, 1 if none)
//   x, y, dx, dy are (N, C, HW), row-major: x[(n*C + c)*HW + p].
//   A 1-D batch of one feature [m] is (N=m, C=1, HW=1); a dense batch (N, C) has HW = 1.
//   Per-channel vectors (gamma, beta, mean, var, rstd, running_*) are (C).
// Statistics are per channel over the N·HW values that share it (that is what makes it *batch* norm;
// reducing over C instead would be LayerNorm).
//
// Argument order follows llm.c: outputs, then inputs, then the layout, then scalars. An output never
// shares memory with an input (the kernels' loops are compiled on that promise: batchnorm.cpp).
// Kernels are templates over Real = double (the lesson's exact path) or float (the training lab's fast
// path); every reduction ends in double accumulators whatever Real is.
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>
#include <vector>

namespace bnkata {

// Where each value of a batch sits. count() = N·HW values share one channel's statistics.
struct Layout {
    std::size_t N = 0;
    std::size_t C = 1;
    std::size_t HW = 1;
    std::size_t count() const { return N * HW; }  // values per channel
    std::size_t size() const { return N * C * HW; }  // values in the whole tensor
};

// Working memory for forward_train and backward: their per-position sums and per-channel coefficients
// (a few arrays of C·HW values per call). Without one, a kernel allocates its arrays on every call. A
// caller that runs the kernels on every training step (the training lab: three BN layers, a thousand
// steps a second) keeps one per BN layer and passes it, so the arrays are allocated once and reused —
// in WebAssembly each allocation is a trip through dlmalloc, which is slower than glibc's. Results never
// depend on it. Not thread-safe: one scratch per caller.
template <typename Real>
class BnScratch {
public:
    // The k-th array asked for since the last restart() is the k-th buffer, grown to n once and then
    // reused; its contents are whatever the last call left (every kernel writes before it reads).
    template <typename T>
    T* take(std::size_t n) {
        std::vector<std::vector<T>>& buffers = pool<T>();
        std::size_t& next = next_of<T>();
        if (next == buffers.size()) buffers.emplace_back();  // moving a vector keeps its data pointer
        std::vector<T>& buffer = buffers[next++];
        if (buffer.size() < n) buffer.resize(n);
        return buffer.data();
    }
    void restart() { next_real_ = next_double_ = 0; }

private:
    template <typename T>
    std::vector<std::vector<T>>& pool() {
        if constexpr (std::is_same_v<T, double>) return doubles_; else return reals_;
    }
    template <typename T>
    std::size_t& next_of() {
        if constexpr (std::is_same_v<T, double>) return next_double_; else return next_real_;
    }
    std::vector<std::vector<Real>> reals_;
    std::vector<std::vector<double>> doubles_;
    std::size_t next_real_ = 0, next_double_ = 0;
};

// ---------------------------------------------------------------------------------------------------
// Step 1 — batch statistics.
// Computes, for every channel c, the batch mean, the biased variance (÷ count: the one that
// normalises) and the unbiased variance (÷ (count − 1): the one PyTorch stores in running_var; NaN when
// count == 1). Numerically stable: deviations are taken from a value of the channel itself before they
// are squared (batchnorm.cpp explains why that is as good as two passes), so a channel at 1e8 + N(0, 1)
// keeps its digits, where E[x²] − E[x]² would not. Any of the output pointers may be nullptr. Mutates
// only the outputs.
template <typename Real>
void batch_statistics(double* mean, double* var_biased, double* var_unbiased, const Real* x, Layout L);

// Steps 1 + 2 — training-mode forward pass: y = gamma·(x − mean)/sqrt(var + eps) + beta, with the
// batch's own statistics. Writes y (N,C,HW), and per channel the mean, the biased variance (var may be
// nullptr) and rstd = 1/sqrt(var + eps), cached for backward. scratch may be nullptr (see BnScratch).
// Mutates only the outputs (and scratch).
template <typename Real>
void forward_train(Real* y, Real* mean, Real* var, Real* rstd, const Real* x, const Real* gamma,
                   const Real* beta, Layout L, double eps, BnScratch<Real>* scratch = nullptr);

// Step 4 — inference-mode forward pass: the same affine map, but with the running (population)
// estimates instead of this batch's statistics, so each example's output depends on it alone.
// Writes y (N,C,HW). Mutates only y.
template <typename Real>
void forward_eval(Real* y, const Real* x, const Real* gamma, const Real* beta, const Real* running_mean,
                  const Real* running_var, Layout L, double eps);

// Backward pass of forward_train, in closed form (the derivation is above the loop in the .cpp).
// Given dy = ∂loss/∂y and the cached mean and rstd, writes dx (N,C,HW), dgamma and dbeta (C).
// Recomputes x̂ rather than caching it. scratch may be nullptr (see BnScratch). Mutates only the outputs
// (and scratch).
template <typename Real>
void backward(Real* dx, Real* dgamma, Real* dbeta, const Real* dy, const Real* x, const Real* mean,
              const Real* rstd, const Real* gamma, Layout L, BnScratch<Real>* scratch = nullptr);

// ---------------------------------------------------------------------------------------------------
// Step 4 — running (population) statistics. Two frameworks, two meanings of "momentum":
//   pytorch: r ← (1 − m)·r + m·batch, default m = 0.1, running_var stores the *unbiased* batch variance;
//   keras:   r ← m·r + (1 − m)·batch, default m = 0.99, running_var stores the biased batch variance.
enum class Convention { pytorch, keras };

struct ConventionInfo {
    const char* name;          // "pytorch" | "keras"
    double default_momentum;   // 0.1 | 0.99
    bool stores_unbiased_var;  // true | false
};
ConventionInfo convention_info(Convention convention);

// Updates running_mean and running_var (C) in place from one batch's mean and *biased* variance (C),
// where count values per channel produced them. Requires count ≥ 2 under pytorch (the unbiased
// variance is undefined for one value); the caller validates. Mutates running_mean and running_var.
void update_running(double* running_mean, double* running_var, const double* batch_mean,
                    const double* batch_var_biased, std::size_t C, std::size_t count, double momentum,
                    Convention convention);

}  // namespace bnkata
