// normalize.cpp — the normalization family (normalize.hpp): group norm's kernels, and one door to all four.
//
// x, y, dx, dy are (N,C,HW); gamma, beta, dgamma, dbeta are (C); mean, var, rstd are (N,G).
// K = (C/G)·HW values share one mean and variance; J = C·HW values make one example's row.
//
// How the loops are laid out. A group's values are contiguous: group g of example n is the K values
// starting at x + n·J + g·K. So every pass works on one group at a time, while its K values are in
// cache: forward reads them once for the statistics and once for y; backward once for the group's sums
// and once for dx. Per-channel numbers (γ, β) are spread to the J positions of a row first
// (broadcast_to_positions), so that each inner loop runs over contiguous memory whatever HW is.
//
// A reduction over a group is a sum of many values in one line, which a compiler may not split into
// vector lanes by itself (that would reorder the additions). So the sums below keep kLanes independent
// partial sums on purpose: the lanes vectorise, and the order of additions is the same on every machine,
// native or WebAssembly. The lanes run in Real over blocks of kBlock values and are then added (pairwise)
// into double accumulators, as batchnorm.cpp sums blocks of rows: float arithmetic per value, double per
// block.
#include "bnkata/normalize.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "bnkata/multiversion.hpp"  // the kernels are built for the baseline and for AVX2

namespace bnkata {

// ---------------------------------------------------------------------------------------------------
// The family's members.
std::size_t Norm::groups_in(Layout L) const {
    switch (kind) {
        case NormKind::layer: return 1;
        case NormKind::instance: return L.C;
        case NormKind::group: return groups;
        case NormKind::batch: break;
    }
    return L.C;  // batch: one statistic per channel, as if each channel were a group of the whole batch
}

std::size_t Norm::statistics_count(Layout L) const {
    return kind == NormKind::batch ? L.C : L.N * groups_in(L);
}

std::size_t Norm::values_per_statistic(Layout L) const {
    return kind == NormKind::batch ? L.count() : L.C / groups_in(L) * L.HW;
}

const char* kind_name(NormKind kind) {
    switch (kind) {
        case NormKind::layer: return "layer";
        case NormKind::instance: return "instance";
        case NormKind::group: return "group";
        case NormKind::batch: break;
    }
    return "batch";
}

std::optional<NormKind> kind_from_name(const std::string& name) {
    for (NormKind kind : {NormKind::batch, NormKind::layer, NormKind::instance, NormKind::group})
        if (name == kind_name(kind)) return kind;
    return std::nullopt;
}

namespace {

constexpr std::size_t kLanes = 16;   // independent partial sums per reduction
constexpr std::size_t kBlock = 256;  // values summed in Real before they are added in double

// (C) → (C·HW): each position of a row gets its channel's number.
template <typename Real>
std::vector<Real> broadcast_to_positions(const Real* per_channel, Layout L) {
    std::vector<Real> per_position(L.C * L.HW);
    for (std::size_t c = 0; c < L.C; ++c)
        std::fill_n(per_position.begin() + static_cast<std::ptrdiff_t>(c * L.HW), L.HW, per_channel[c]);
    return per_position;
}

// The kLanes partial sums of a block added pairwise, in four rounds of independent additions (a tree)
// rather than fifteen in a row: with groups of a few dozen values, a chain of dependent additions per
// group would cost more than the group's own arithmetic.
template <typename Real>
double fold_lanes(Real* lane) {
    for (std::size_t width = kLanes / 2; width > 0; width /= 2)
        for (std::size_t l = 0; l < width; ++l) lane[l] += lane[l + width];
    return static_cast<double>(lane[0]);
}

// Σ d and Σ d² over K contiguous values, with d = x − shift.
//
// Why the shift: for values at 1e8 + N(0, 1), E[x²] − E[x]² subtracts two numbers near 1e16 that agree in
// all their digits. Shifted by a value of the group itself, d is as small as the spread, and
//     mean = shift + Σd/K,        M2 = Σ (x − mean)² = Σd² − (Σd)²/K
// cancels only as far as (mean − shift)² exceeds the variance — at most K − 1 times for a shift taken
// from the data (Samuelson's inequality), about once typically: as accurate as two passes (batchnorm.cpp
// argues this at length; the 1e8-offset tests check it for every kind).
struct ShiftedSums {
    double d = 0, d2 = 0;
};

template <typename Real>
ShiftedSums shifted_sums(const Real* x, std::size_t K, Real shift) {
    ShiftedSums total;
    for (std::size_t i0 = 0; i0 < K; i0 += kBlock) {
        const std::size_t i1 = std::min(K, i0 + kBlock);
        Real lane_d[kLanes] = {}, lane_d2[kLanes] = {};
        std::size_t i = i0;
        for (; i + kLanes <= i1; i += kLanes)
            for (std::size_t l = 0; l < kLanes; ++l) {
                const Real d = x[i + l] - shift;
                lane_d[l] += d;
                lane_d2[l] += d * d;
            }
        for (std::size_t l = 0; i < i1; ++i, ++l) {  // the last few values, one per lane
            const Real d = x[i] - shift;
            lane_d[l] += d;
            lane_d2[l] += d * d;
        }
        total.d += fold_lanes(lane_d);
        total.d2 += fold_lanes(lane_d2);
    }
    return total;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Group norm, forward: per (n, g), the statistics of the group's K values, then y = γ·x̂ + β.
template <typename Real>
BNKATA_MULTIVERSION void group_norm_forward(Real* y, Real* mean, Real* var, Real* rstd, const Real* x,
                                            const Real* gamma, const Real* beta, Layout L, std::size_t G,
                                            double eps) {
    const std::size_t J = L.C * L.HW;
    const std::size_t K = J / G;
    const std::vector<Real> gamma_at = broadcast_to_positions(gamma, L);
    const std::vector<Real> beta_at = broadcast_to_positions(beta, L);
    for (std::size_t n = 0; n < L.N; ++n)
        for (std::size_t g = 0; g < G; ++g) {
            const Real* xg = x + n * J + g * K;
            Real* yg = y + n * J + g * K;
            const ShiftedSums s = shifted_sums(xg, K, xg[0]);
            const double mean_d = s.d / static_cast<double>(K);
            const double mean_g = static_cast<double>(xg[0]) + mean_d;
            // Biased (÷ K): this is what normalises. Rounding may leave a tiny negative where the answer is 0;
            // a spread whose squares overflow gives NaN, which must stay NaN (std::max(0.0, NaN) is 0).
            const double m2_g = s.d2 - s.d * mean_d;
            const double var_g = (m2_g < 0 ? 0.0 : m2_g) / static_cast<double>(K);
            const double rstd_g = 1.0 / std::sqrt(var_g + eps);
            // Cache mean and rstd for backward.
            mean[n * G + g] = static_cast<Real>(mean_g);
            if (var) var[n * G + g] = static_cast<Real>(var_g);
            rstd[n * G + g] = static_cast<Real>(rstd_g);

            // y = γ·(x − μ)·rstd + β, element-wise in Real; γ and β are the channel's, so they change
            // every HW positions inside a group, hence per position.
            const Real mu = static_cast<Real>(mean_g), r = static_cast<Real>(rstd_g);
            const Real* gamma_g = gamma_at.data() + g * K;
            const Real* beta_g = beta_at.data() + g * K;
            for (std::size_t i = 0; i < K; ++i) yg[i] = (xg[i] - mu) * r * gamma_g[i] + beta_g[i];
        }
}

// ---------------------------------------------------------------------------------------------------
// Group norm, backward.
//
// Derivation, per group (n, g) of K values, with r = rstd = 1/√(σ² + ε), x̂ = (x − μ)·r and
// y = γ_c·x̂ + β_c (c the channel of each value):
//   dβ_c = Σ_n Σ_p dy   and   dγ_c = Σ_n Σ_p dy·x̂     (γ_c and β_c are shared by every example)
//   dx̂  = γ_c·dy                                       (γ varies inside a group, so it stays inside the sums)
//   μ and σ² are functions of every x in the group, so each x reaches the loss three ways:
//   dσ² = Σ dx̂·(x − μ)·(−½)·r³
//   dμ  = −r·Σ dx̂ + dσ²·(−2/K)·Σ (x − μ)  = −r·Σ dx̂      (Σ (x − μ) = 0)
//   dx  = dx̂·r + dσ²·2(x − μ)/K + dμ/K
//       = r·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂))              (means over the group)
// Batch norm's formula (batchnorm.cpp) with the group in place of the channel: the upstream gradient,
// minus its mean (the path through μ), minus its projection on x̂ (the path through σ²). Hence Σ dx = 0
// and Σ dx·x̂ = 0 over every group.
// Per group, pass 1 gathers Σ dx̂ and Σ dx̂·(x − μ), and adds dy and dy·x̂ into per-position sums for dβ
// and dγ (folded per channel at the end); pass 2 writes dx. x̂ is recomputed from x, mean and rstd.
template <typename Real>
BNKATA_MULTIVERSION void group_norm_backward(Real* dx, Real* dgamma, Real* dbeta, const Real* dy, const Real* x,
                                             const Real* mean, const Real* rstd, const Real* gamma, Layout L,
                                             std::size_t G) {
    const std::size_t J = L.C * L.HW;
    const std::size_t K = J / G;
    const std::vector<Real> gamma_at = broadcast_to_positions(gamma, L);
    std::vector<double> sum_dy(J, 0.0), sum_dy_xhat(J, 0.0);  // per position, over the examples
    for (std::size_t n = 0; n < L.N; ++n)
        for (std::size_t g = 0; g < G; ++g) {
            const std::size_t start = n * J + g * K;
            const Real *xg = x + start, *dyg = dy + start, *gamma_g = gamma_at.data() + g * K;
            double* sum_dy_g = sum_dy.data() + g * K;
            double* sum_dy_xhat_g = sum_dy_xhat.data() + g * K;
            const Real mu = mean[n * G + g], r = rstd[n * G + g];

            // Pass 1: Σ dx̂ and Σ dx̂·(x − μ) over the group, in lanes; dy and dy·x̂ into the per-position sums.
            double sum_dxhat = 0, sum_dxhat_xmu = 0;
            for (std::size_t i0 = 0; i0 < K; i0 += kBlock) {
                const std::size_t i1 = std::min(K, i0 + kBlock);
                Real lane_a[kLanes] = {}, lane_b[kLanes] = {};
                std::size_t i = i0;
                for (; i + kLanes <= i1; i += kLanes)
                    for (std::size_t l = 0; l < kLanes; ++l) {
                        const Real xmu = xg[i + l] - mu;
                        const Real dxhat = gamma_g[i + l] * dyg[i + l];
                        lane_a[l] += dxhat;
                        lane_b[l] += dxhat * xmu;
                        sum_dy_g[i + l] += dyg[i + l];
                        sum_dy_xhat_g[i + l] += dyg[i + l] * xmu * r;
                    }
                for (std::size_t l = 0; i < i1; ++i, ++l) {
                    const Real xmu = xg[i] - mu;
                    const Real dxhat = gamma_g[i] * dyg[i];
                    lane_a[l] += dxhat;
                    lane_b[l] += dxhat * xmu;
                    sum_dy_g[i] += dyg[i];
                    sum_dy_xhat_g[i] += dyg[i] * xmu * r;
                }
                sum_dxhat += fold_lanes(lane_a);
                sum_dxhat_xmu += fold_lanes(lane_b);
            }

            // Pass 2: dx = r·(dx̂ − mean(dx̂)) − (x − μ)·r³·mean(dx̂·(x − μ)), element-wise in Real.
            const double rd = static_cast<double>(r);
            const Real mean_dxhat = static_cast<Real>(sum_dxhat / static_cast<double>(K));
            const Real k_xmu = static_cast<Real>(rd * rd * rd * sum_dxhat_xmu / static_cast<double>(K));
            Real* dxg = dx + start;
            for (std::size_t i = 0; i < K; ++i)
                dxg[i] = (gamma_g[i] * dyg[i] - mean_dxhat) * r - (xg[i] - mu) * k_xmu;
        }

    // dβ and dγ per channel: the HW positions of each channel folded.
    for (std::size_t c = 0; c < L.C; ++c) {
        double db = 0, dg = 0;
        for (std::size_t p = 0; p < L.HW; ++p) {
            db += sum_dy[c * L.HW + p];
            dg += sum_dy_xhat[c * L.HW + p];
        }
        dbeta[c] = static_cast<Real>(db);
        dgamma[c] = static_cast<Real>(dg);
    }
}

// ---------------------------------------------------------------------------------------------------
// One door to the family.
template <typename Real>
void normalize_forward(Real* y, Real* mean, Real* var, Real* rstd, const Real* x, const Real* gamma,
                       const Real* beta, Layout L, Norm norm, double eps) {
    if (norm.kind == NormKind::batch) forward_train(y, mean, var, rstd, x, gamma, beta, L, eps);
    else group_norm_forward(y, mean, var, rstd, x, gamma, beta, L, norm.groups_in(L), eps);
}

template <typename Real>
void normalize_backward(Real* dx, Real* dgamma, Real* dbeta, const Real* dy, const Real* x, const Real* mean,
                        const Real* rstd, const Real* gamma, Layout L, Norm norm) {
    if (norm.kind == NormKind::batch) backward(dx, dgamma, dbeta, dy, x, mean, rstd, gamma, L);
    else group_norm_backward(dx, dgamma, dbeta, dy, x, mean, rstd, gamma, L, norm.groups_in(L));
}

// The two element types the project uses: double for the lesson, float for the training lab.
#define BNKATA_INSTANTIATE(Real)                                                                                 \
    template void group_norm_forward<Real>(Real*, Real*, Real*, Real*, const Real*, const Real*, const Real*,   \
                                           Layout, std::size_t, double);                                        \
    template void group_norm_backward<Real>(Real*, Real*, Real*, const Real*, const Real*, const Real*,         \
                                            const Real*, const Real*, Layout, std::size_t);                     \
    template void normalize_forward<Real>(Real*, Real*, Real*, Real*, const Real*, const Real*, const Real*,    \
                                          Layout, Norm, double);                                                \
    template void normalize_backward<Real>(Real*, Real*, Real*, const Real*, const Real*, const Real*,          \
                                           const Real*, const Real*, Layout, Norm);
BNKATA_INSTANTIATE(double)
BNKATA_INSTANTIATE(float)
#undef BNKATA_INSTANTIATE

}  // namespace bnkata
