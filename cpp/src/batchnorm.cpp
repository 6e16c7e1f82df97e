// batchnorm.cpp — the Batch Normalization kernels, in the order the kata teaches them.
//
// x, y, dx, dy are (N,C,HW); mean, var, rstd, gamma, beta, running_* are (C). M = N·HW values per channel.
//
// How the loops are laid out. A tensor is walked as N rows of C·HW values: row n starts at x + n·C·HW and
// position j of a row belongs to channel j / HW. Every pass runs over positions, with the channel's
// numbers spread ("broadcast") to its HW positions first, and per-position sums folded into per-channel
// sums afterwards. So each inner loop walks contiguous memory with independent lanes — it vectorises —
// whether the batch is (N,C) (then a channel's values are C apart) or (N,C,HW). Sums end in double
// accumulators whatever the element type is.
//
// Each pass takes the rows kRowsTogether at a time (one walk along the positions for several rows): a
// position's per-position numbers and running sums are then read and written once per group of rows,
// not once per row, and each row is still read front to back. A group's values enter a sum one row
// after the other, in row order: the same sums, added in the same order, as one row at a time.
//
// Successive passes over a batch alternate direction (rows 0 → N−1, then N−1 → 0, ...): each pass starts
// on the rows the previous one touched last, which are still in cache. Forward is one pass for the
// statistics (rows ascending) and one for y (descending); backward one for dβ, dγ (ascending) and one
// for dx (descending).
#include "bnkata/batchnorm.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "bnkata/multiversion.hpp"  // the kernels are built for the baseline and for AVX2

namespace bnkata {
namespace {

// Rows taken together by every pass (see the top of the file); a batch whose row count is not a multiple
// of it runs its last rows one at a time through the same loops (R = 1). Four measured fastest, natively
// and in WebAssembly (docs/benchmarks.md).
constexpr std::size_t kRowsTogether = 4;

// The loops of the passes, each over R consecutive rows of J positions: row r of a group is at x + r·J
// (dy + r·J, ...). R is a constant, so the loop over it becomes straight code and the loop over j is the
// one that vectorises. Every array a loop writes is disjoint from every array it reads (the outputs and
// the scratch are never the inputs): __restrict says so, without which the compiler must check for
// overlap at run time and, with this many arrays, gives up vectorising.
template <typename Real>
using In = const Real* __restrict;
template <typename Real>
using Out = Real* __restrict;

// Statistics: block_d += Σ_r (x_r − shift), block_d2 += Σ_r (x_r − shift)², per position.
template <std::size_t R, typename Real>
inline void add_deviations(Out<Real> block_d, Out<Real> block_d2, In<Real> x, In<Real> shift, std::size_t J) {
    for (std::size_t j = 0; j < J; ++j) {
        Real d = block_d[j], d2 = block_d2[j];
        for (std::size_t r = 0; r < R; ++r) {
            const Real v = x[r * J + j] - shift[j];
            d += v;
            d2 += v * v;
        }
        block_d[j] = d;
        block_d2[j] = d2;
    }
}

// Forward: y_r = (x_r − mean)·scale + β, per position.
template <std::size_t R, typename Real>
inline void normalize_rows(Out<Real> y, In<Real> x, In<Real> mean_at, In<Real> scale_at, In<Real> beta_at,
                           std::size_t J) {
    for (std::size_t j = 0; j < J; ++j)
        for (std::size_t r = 0; r < R; ++r) y[r * J + j] = (x[r * J + j] - mean_at[j]) * scale_at[j] + beta_at[j];
}

// Backward, pass 1: block_dy += Σ_r dy_r, block_dy_xmu += Σ_r dy_r·(x_r − mean), per position.
template <std::size_t R, typename Real>
inline void add_gradient_sums(Out<Real> block_dy, Out<Real> block_dy_xmu, In<Real> dy, In<Real> x, In<Real> mean_at,
                              std::size_t J) {
    for (std::size_t j = 0; j < J; ++j) {
        Real s = block_dy[j], s_xmu = block_dy_xmu[j];
        for (std::size_t r = 0; r < R; ++r) {
            s += dy[r * J + j];
            s_xmu += dy[r * J + j] * (x[r * J + j] - mean_at[j]);
        }
        block_dy[j] = s;
        block_dy_xmu[j] = s_xmu;
    }
}

// Backward, pass 2: dx_r = (dy_r − mean_dy)·k − (x_r − mean)·k_xmu, per position.
template <std::size_t R, typename Real>
inline void input_gradient_rows(Out<Real> dx, In<Real> dy, In<Real> x, In<Real> mean_at, In<Real> mean_dy_at,
                                In<Real> k_at, In<Real> k_xmu_at, std::size_t J) {
    for (std::size_t j = 0; j < J; ++j)
        for (std::size_t r = 0; r < R; ++r)
            dx[r * J + j] = (dy[r * J + j] - mean_dy_at[j]) * k_at[j] - (x[r * J + j] - mean_at[j]) * k_xmu_at[j];
}

// Every array below comes from a BnScratch (batchnorm.hpp): allocated on the first call, reused after.

// (C) → (C·HW): gives each position of a row its channel's number, converted to Real.
template <typename Real, typename In>
const Real* broadcast_to_positions(BnScratch<Real>& scratch, const In* per_channel, Layout L) {
    Real* per_position = scratch.template take<Real>(L.C * L.HW);
    for (std::size_t c = 0; c < L.C; ++c)
        for (std::size_t p = 0; p < L.HW; ++p) per_position[c * L.HW + p] = static_cast<Real>(per_channel[c]);
    return per_position;
}

// (C·HW) → (C): adds up the HW positions of each channel.
template <typename Real>
const double* fold_positions(BnScratch<Real>& scratch, const double* per_position, Layout L) {
    double* per_channel = scratch.template take<double>(L.C);
    for (std::size_t c = 0; c < L.C; ++c) {
        per_channel[c] = 0.0;
        for (std::size_t p = 0; p < L.HW; ++p) per_channel[c] += per_position[c * L.HW + p];
    }
    return per_channel;
}

// The per-channel mean and the per-channel sum of squared deviations from it (M2), in double.
struct MeanAndM2 {
    const double* mean;  // (C)
    const double* m2;    // (C), Σ (x − mean)²
};

// The statistics in one pass over x, kept exact by a shift.
//
// The textbook two-pass method reads x twice: once for the mean, once for Σ (x − mean)². The one-pass
// formula E[x²] − E[x]² reads it once but is useless in floating point: for a channel at 1e8 + N(0, 1),
// E[x²] ≈ 1e16 and E[x]² ≈ 1e16 agree in their first 16 digits, so their difference is rounding noise.
// The trouble is the offset, not the single pass. Subtract one value K of the channel first (here: the
// first example's) and sum d = x − K, which is as small as the spread, not the offset:
//     mean = K + Σd/M,        M2 = Σ (x − mean)² = Σd² − (Σd)²/M.
// The last subtraction cancels only as far as (mean − K)² exceeds the variance, and for K taken from the
// data that ratio is at most M − 1 (Samuelson's inequality) and typically about 1: as accurate as two
// passes (the 1e8-offset test checks it), for the price of one — this pass is the forward's bottleneck.
// d and d² are summed in Real over blocks of kRowsPerBlock rows, then added into double accumulators:
// the float path does float arithmetic per value and double arithmetic once per block.
constexpr std::size_t kRowsPerBlock = 16;

template <typename Real>
BNKATA_MULTIVERSION MeanAndM2 mean_and_m2(BnScratch<Real>& scratch, const Real* x, Layout L) {
    const std::size_t J = L.C * L.HW;  // values in one row
    const Real* shift = x;  // K: the first example's values, one per position
    Real* block_d = scratch.template take<Real>(J);
    Real* block_d2 = scratch.template take<Real>(J);
    double* sum_d = scratch.template take<double>(J);
    double* sum_d2 = scratch.template take<double>(J);
    std::fill(sum_d, sum_d + J, 0.0);
    std::fill(sum_d2, sum_d2 + J, 0.0);
    for (std::size_t n0 = 0; n0 < L.N; n0 += kRowsPerBlock) {
        const std::size_t n1 = std::min(L.N, n0 + kRowsPerBlock);
        std::fill(block_d, block_d + J, Real(0));
        std::fill(block_d2, block_d2 + J, Real(0));
        std::size_t n = n0;
        for (; n + kRowsTogether <= n1; n += kRowsTogether)
            add_deviations<kRowsTogether>(block_d, block_d2, x + n * J, shift, J);
        for (; n < n1; ++n) add_deviations<1>(block_d, block_d2, x + n * J, shift, J);
        for (std::size_t j = 0; j < J; ++j) {
            sum_d[j] += block_d[j];
            sum_d2[j] += block_d2[j];
        }
    }

    // Per position (N values each): mean and M2. Then per channel, the HW positions combined: the
    // channel's M2 is the positions' M2s plus N·(position mean − channel mean)² each (parallel axes).
    // The position means are combined as offsets from the channel's first shift K₀, never at the
    // data's own magnitude: summed at 1e8, sixteen means would round to 2e-7, the whole spread's 1e-7.
    const double per_position = static_cast<double>(L.N);
    double* channel_mean = scratch.template take<double>(L.C);
    double* channel_m2 = scratch.template take<double>(L.C);
    double* position_offset = scratch.template take<double>(J);  // position mean − K₀ of its channel
    double* position_m2 = scratch.template take<double>(J);
    for (std::size_t j = 0; j < J; ++j) {
        const double mean_d = sum_d[j] / per_position;
        const double k0 = static_cast<double>(shift[j - j % L.HW]);
        position_offset[j] = (static_cast<double>(shift[j]) - k0) + mean_d;
        // Rounding may leave a tiny negative number where the exact answer is 0: that becomes 0. A spread
        // whose squares overflow Real (|d| > √max: 1.3e154 in double, 1.8e19 in float) gives inf − inf =
        // NaN here, and NaN must stay NaN: std::max(0.0, NaN) is 0, a silently wrong variance of 0.
        const double m2 = sum_d2[j] - sum_d[j] * mean_d;
        position_m2[j] = m2 < 0 ? 0.0 : m2;
    }
    for (std::size_t c = 0; c < L.C; ++c) {
        double offset = 0;
        for (std::size_t p = 0; p < L.HW; ++p) offset += position_offset[c * L.HW + p];
        offset /= static_cast<double>(L.HW);
        double m2 = 0;
        for (std::size_t p = 0; p < L.HW; ++p) {
            const double apart = position_offset[c * L.HW + p] - offset;
            m2 += position_m2[c * L.HW + p] + per_position * apart * apart;
        }
        channel_mean[c] = static_cast<double>(shift[c * L.HW]) + offset;
        channel_m2[c] = m2;
    }
    return {channel_mean, channel_m2};
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Step 1 — batch statistics.
template <typename Real>
void batch_statistics(double* mean, double* var_biased, double* var_unbiased, const Real* x, Layout L) {
    BnScratch<Real> scratch;
    const MeanAndM2 s = mean_and_m2(scratch, x, L);
    const double count = static_cast<double>(L.count());
    for (std::size_t c = 0; c < L.C; ++c) {
        if (mean) mean[c] = s.mean[c];
        // Biased (÷ M): the variance of *this* batch, the one that normalises it.
        if (var_biased) var_biased[c] = s.m2[c] / count;
        // Unbiased (÷ (M − 1)): an estimate of the population's variance; undefined for one value.
        if (var_unbiased)
            var_unbiased[c] = L.count() > 1 ? s.m2[c] / (count - 1) : std::numeric_limits<double>::quiet_NaN();
    }
}

// ---------------------------------------------------------------------------------------------------
// Steps 1 + 2 — training-mode forward: normalise with this batch's statistics, then scale and shift.
template <typename Real>
BNKATA_MULTIVERSION void forward_train(Real* y, Real* mean, Real* var, Real* rstd, const Real* x, const Real* gamma,
                   const Real* beta, Layout L, double eps, BnScratch<Real>* caller_scratch) {
    BnScratch<Real> own_scratch;
    BnScratch<Real>& scratch = caller_scratch ? *caller_scratch : own_scratch;
    scratch.restart();
    const MeanAndM2 s = mean_and_m2(scratch, x, L);
    const double count = static_cast<double>(L.count());

    // Per channel: cache mean and rstd = 1/√(σ² + ε) for backward, and fold γ into one scale factor so
    // that y = (x − mean)·scale + β costs one subtract, one multiply and one add per value.
    double* scale = scratch.template take<double>(L.C);
    for (std::size_t c = 0; c < L.C; ++c) {
        const double var_c = s.m2[c] / count;  // biased: this is what normalises
        // A variance that overflowed (inf) would give rstd = 0 and y = β, finite and wrong: make y NaN
        // instead, so that every caller's finiteness check (the ops' overflow error, the lab's divergence
        // detection) sees it.
        const double rstd_c = std::isfinite(var_c) ? 1.0 / std::sqrt(var_c + eps) : std::numeric_limits<double>::quiet_NaN();
        mean[c] = static_cast<Real>(s.mean[c]);
        if (var) var[c] = static_cast<Real>(var_c);
        rstd[c] = static_cast<Real>(rstd_c);
        scale[c] = static_cast<double>(gamma[c]) * rstd_c;
    }

    // Pass 2: y = γ·x̂ + β with x̂ = (x − mean)·rstd. Element-wise work runs in Real (float is the fast path).
    const std::size_t J = L.C * L.HW;
    const Real* mean_at = broadcast_to_positions(scratch, s.mean, L);
    const Real* scale_at = broadcast_to_positions(scratch, scale, L);
    const Real* beta_at = broadcast_to_positions(scratch, beta, L);
    std::size_t n = L.N;  // backwards: see the top of the file
    for (; n >= kRowsTogether; n -= kRowsTogether) {
        const std::size_t first = n - kRowsTogether;
        normalize_rows<kRowsTogether>(y + first * J, x + first * J, mean_at, scale_at, beta_at, J);
    }
    for (; n-- > 0;) normalize_rows<1>(y + n * J, x + n * J, mean_at, scale_at, beta_at, J);
}

// ---------------------------------------------------------------------------------------------------
// Step 4 — inference-mode forward: the same affine map with the running (population) estimates, so an
// example's output no longer depends on the rest of its batch.
template <typename Real>
BNKATA_MULTIVERSION void forward_eval(Real* y, const Real* x, const Real* gamma, const Real* beta, const Real* running_mean,
                  const Real* running_var, Layout L, double eps) {
    BnScratch<Real> scratch;
    double* scale = scratch.template take<double>(L.C);
    for (std::size_t c = 0; c < L.C; ++c)
        scale[c] = static_cast<double>(gamma[c]) / std::sqrt(static_cast<double>(running_var[c]) + eps);

    const std::size_t J = L.C * L.HW;
    const Real* mean_at = broadcast_to_positions(scratch, running_mean, L);
    const Real* scale_at = broadcast_to_positions(scratch, scale, L);
    const Real* beta_at = broadcast_to_positions(scratch, beta, L);
    for (std::size_t n = 0; n < L.N; ++n) {
        const Real* xr = x + n * J;
        Real* yr = y + n * J;
        for (std::size_t j = 0; j < J; ++j) yr[j] = (xr[j] - mean_at[j]) * scale_at[j] + beta_at[j];
    }
}

// ---------------------------------------------------------------------------------------------------
// Backward pass of forward_train.
//
// Derivation, per channel, with r = rstd = 1/√(σ² + ε), x̂ = (x − μ)·r, y = γ·x̂ + β and M values:
//   dβ  = Σ dy                      and   dγ = Σ dy·x̂            (y is affine in β and in γ)
//   dx̂  = γ·dy
//   μ and σ² are functions of every x in the channel, so each x reaches the loss three ways:
//   dσ² = Σ dx̂·(x − μ)·(−½)·r³  = −½·γ·r²·dγ
//   dμ  = −r·Σ dx̂ + dσ²·(−2/M)·Σ (x − μ)  = −γ·r·dβ          (Σ (x − μ) = 0)
//   dx  = dx̂·r + dσ²·2(x − μ)/M + dμ/M
//       = γ·r·(dy − dβ/M − x̂·dγ/M)
// The last line is what the loop computes: the upstream gradient, minus its mean (the path through μ),
// minus its projection on x̂ (the path through σ²). Hence Σ dx = 0 and Σ dx·x̂ = 0 per channel.
// Pass 1 gathers dβ and dγ (summed like the statistics: in Real per block of rows, then in double);
// pass 2 writes dx. x̂ is recomputed from x, mean and rstd, not cached.
template <typename Real>
BNKATA_MULTIVERSION void backward(Real* dx, Real* dgamma, Real* dbeta, const Real* dy, const Real* x, const Real* mean,
              const Real* rstd, const Real* gamma, Layout L, BnScratch<Real>* caller_scratch) {
    BnScratch<Real> own_scratch;
    BnScratch<Real>& scratch = caller_scratch ? *caller_scratch : own_scratch;
    scratch.restart();
    const std::size_t J = L.C * L.HW;
    const double count = static_cast<double>(L.count());

    // Pass 1: Σ dy and Σ dy·(x − μ) per position: in Real over blocks of kRowsPerBlock rows, then in double.
    const Real* mean_at = broadcast_to_positions(scratch, mean, L);
    Real* block_dy = scratch.template take<Real>(J);
    Real* block_dy_xmu = scratch.template take<Real>(J);
    double* sum_dy = scratch.template take<double>(J);
    double* sum_dy_xmu = scratch.template take<double>(J);
    std::fill(sum_dy, sum_dy + J, 0.0);
    std::fill(sum_dy_xmu, sum_dy_xmu + J, 0.0);
    for (std::size_t n0 = 0; n0 < L.N; n0 += kRowsPerBlock) {
        const std::size_t n1 = std::min(L.N, n0 + kRowsPerBlock);
        std::fill(block_dy, block_dy + J, Real(0));
        std::fill(block_dy_xmu, block_dy_xmu + J, Real(0));
        std::size_t n = n0;
        for (; n + kRowsTogether <= n1; n += kRowsTogether)
            add_gradient_sums<kRowsTogether>(block_dy, block_dy_xmu, dy + n * J, x + n * J, mean_at, J);
        for (; n < n1; ++n) add_gradient_sums<1>(block_dy, block_dy_xmu, dy + n * J, x + n * J, mean_at, J);
        for (std::size_t j = 0; j < J; ++j) {
            sum_dy[j] += block_dy[j];
            sum_dy_xmu[j] += block_dy_xmu[j];
        }
    }
    const double* db = fold_positions(scratch, sum_dy, L);
    const double* dy_xmu = fold_positions(scratch, sum_dy_xmu, L);

    // Per channel: dβ, dγ = r·Σ dy·(x − μ), and the coefficients of dx = (dy − dβ/M)·γr − (x − μ)·γr²·dγ/M.
    double* mean_dy = scratch.template take<double>(L.C);
    double* k = scratch.template take<double>(L.C);
    double* k_xmu = scratch.template take<double>(L.C);
    for (std::size_t c = 0; c < L.C; ++c) {
        const double r = rstd[c];
        const double dg = r * dy_xmu[c];
        dbeta[c] = static_cast<Real>(db[c]);
        dgamma[c] = static_cast<Real>(dg);
        mean_dy[c] = db[c] / count;
        k[c] = static_cast<double>(gamma[c]) * r;
        k_xmu[c] = k[c] * r * dg / count;
    }

    // Pass 2: dx, element-wise in Real.
    const Real* mean_dy_at = broadcast_to_positions(scratch, mean_dy, L);
    const Real* k_at = broadcast_to_positions(scratch, k, L);
    const Real* k_xmu_at = broadcast_to_positions(scratch, k_xmu, L);
    std::size_t n = L.N;  // backwards: see the top of the file
    for (; n >= kRowsTogether; n -= kRowsTogether) {
        const std::size_t first = n - kRowsTogether;
        input_gradient_rows<kRowsTogether>(dx + first * J, dy + first * J, x + first * J, mean_at, mean_dy_at, k_at,
                                           k_xmu_at, J);
    }
    for (; n-- > 0;)
        input_gradient_rows<1>(dx + n * J, dy + n * J, x + n * J, mean_at, mean_dy_at, k_at, k_xmu_at, J);
}

// ---------------------------------------------------------------------------------------------------
// Step 4 — running statistics.
ConventionInfo convention_info(Convention convention) {
    switch (convention) {
        case Convention::keras: return {"keras", 0.99, false};
        case Convention::pytorch: break;
    }
    return {"pytorch", 0.1, true};
}

void update_running(double* running_mean, double* running_var, const double* batch_mean,
                    const double* batch_var_biased, std::size_t C, std::size_t count, double momentum,
                    Convention convention) {
    const ConventionInfo info = convention_info(convention);
    // How much of the new batch enters the running value: PyTorch's momentum is that weight itself,
    // Keras's momentum is the weight kept by the *old* value.
    const double w_new = convention == Convention::pytorch ? momentum : 1.0 - momentum;
    const double m = static_cast<double>(count);
    for (std::size_t c = 0; c < C; ++c) {
        // PyTorch stores the unbiased variance (an estimate of the population's), Keras the biased one.
        const double batch_var = info.stores_unbiased_var ? batch_var_biased[c] * m / (m - 1) : batch_var_biased[c];
        running_mean[c] = (1 - w_new) * running_mean[c] + w_new * batch_mean[c];
        running_var[c] = (1 - w_new) * running_var[c] + w_new * batch_var;
    }
}

// The two element types the project uses: double for the lesson, float for the training lab.
#define BNKATA_INSTANTIATE(Real)                                                                              \
    template void batch_statistics<Real>(double*, double*, double*, const Real*, Layout);                   \
    template void forward_train<Real>(Real*, Real*, Real*, Real*, const Real*, const Real*, const Real*,     \
                                      Layout, double, BnScratch<Real>*);                                    \
    template void forward_eval<Real>(Real*, const Real*, const Real*, const Real*, const Real*, const Real*, \
                                     Layout, double);                                                       \
    template void backward<Real>(Real*, Real*, Real*, const Real*, const Real*, const Real*, const Real*,    \
                                 const Real*, Layout, BnScratch<Real>*);
BNKATA_INSTANTIATE(double)
BNKATA_INSTANTIATE(float)
#undef BNKATA_INSTANTIATE

}  // namespace bnkata
