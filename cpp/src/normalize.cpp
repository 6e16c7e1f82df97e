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
#include <cstring>
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

// The per-group helpers below are inlined into the kernels, so that they run in the kernel's AVX2
// version too (multiversion.hpp), and a group of a few dozen values does not pay for a call.
#if defined(__GNUC__)
#define BNKATA_INLINE inline __attribute__((always_inline))
#else
#define BNKATA_INLINE inline
#endif

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

// kLanes partial sums side by side, held as 16-byte vectors (GCC/Clang vector extensions: SSE natively,
// SIMD128 in WebAssembly): lane l is element l % W of vector l / W, W = 16 / sizeof(Real). Each lane is
// plain IEEE arithmetic in Real, so every build adds the same numbers in the same order; the vectors only
// make sure the lanes live in registers (written as an array of Real, the compiler kept them in memory
// when a group is a few dozen values, and a group's fixed cost then outweighed its arithmetic).
template <typename Real>
struct Lanes {
    typedef Real Vector __attribute__((vector_size(16)));
    static constexpr std::size_t W = 16 / sizeof(Real), count = kLanes / W;
    Vector v[count] = {};

    // Vector j of kLanes consecutive values: values[j·W], …, values[j·W + W − 1].
    static Vector load(const Real* values, std::size_t j) {
        Vector out;
        std::memcpy(&out, values + j * W, sizeof out);
        return out;
    }
};

// The lanes added pairwise, half onto half (lane l += lane l + n/2 for n = kLanes, kLanes/2, …), in four
// rounds of independent additions (a tree) rather than fifteen in a row: with groups of a few dozen
// values, a chain of dependent additions per group would cost more than the group's own arithmetic.
template <typename Real>
BNKATA_INLINE double fold_lanes(Lanes<Real> lanes) {
    for (std::size_t n = Lanes<Real>::count / 2; n > 0; n /= 2)  // whole vectors: n = count/2, …, 1
        for (std::size_t j = 0; j < n; ++j) lanes.v[j] += lanes.v[j + n];
    for (std::size_t n = Lanes<Real>::W / 2; n > 0; n /= 2)  // then within the last vector
        for (std::size_t l = 0; l < n; ++l) lanes.v[0][l] += lanes.v[0][l + n];
    return static_cast<double>(lanes.v[0][0]);
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
BNKATA_INLINE ShiftedSums shifted_sums(const Real* x, std::size_t K, Real shift) {
    using V = typename Lanes<Real>::Vector;
    constexpr std::size_t count = Lanes<Real>::count;
    ShiftedSums total;
    for (std::size_t i0 = 0; i0 < K; i0 += kBlock) {
        const std::size_t i1 = std::min(K, i0 + kBlock);
        Lanes<Real> sum_d, sum_d2;
        std::size_t i = i0;
        for (; i + kLanes <= i1; i += kLanes)
            for (std::size_t j = 0; j < count; ++j) {
                const V d = Lanes<Real>::load(x + i, j) - shift;
                sum_d.v[j] += d;
                sum_d2.v[j] += d * d;
            }
        if (i < i1) {  // the last few values, one per lane; the other lanes add 0
            Real d[kLanes] = {};
            for (std::size_t l = 0; i + l < i1; ++l) d[l] = x[i + l] - shift;
            for (std::size_t j = 0; j < count; ++j) {
                const V dj = Lanes<Real>::load(d, j);
                sum_d.v[j] += dj;
                sum_d2.v[j] += dj * dj;
            }
        }
        total.d += fold_lanes(sum_d);
        total.d2 += fold_lanes(sum_d2);
    }
    return total;
}


// ---------------------------------------------------------------------------------------------------
// Groups a tile at a time.
//
// Group q = n·G + g of the whole tensor starts at x + q·K (n·J + g·K = (n·G + g)·K), so the N·G groups
// lie one after another. Each pass below works on a tile of consecutive groups, about kTileValues values
// (at least one group): first every group's sums, then every group's statistics in a loop of their own,
// then the element-wise outputs. Why not one group at a time: a group's statistics end in a chain of
// double divisions and a square root (dozens of cycles of latency), and small groups — 32 values in a
// dense batch with G = 32 — would wait on that chain once per group. In a loop of their own, the tile's
// chains are independent and overlap. A tile of floats (8 KB) stays in L1 cache between its passes.
// Tiling changes only the order in which groups are visited, never the arithmetic of one group.
constexpr std::size_t kTileValues = 2048;

std::size_t groups_per_tile(std::size_t K) { return std::max<std::size_t>(1, kTileValues / K); }

// γ or β for every position of a row: the caller's (C) array itself when HW = 1, else a spread copy.
template <typename Real>
struct PerPosition {
    std::vector<Real> spread;
    const Real* at;
    PerPosition(const Real* per_channel, Layout L)
        : spread(L.HW == 1 ? std::vector<Real>() : broadcast_to_positions(per_channel, L)),
          at(L.HW == 1 ? per_channel : spread.data()) {}
};

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Group norm, forward: per (n, g), the statistics of the group's K values, then y = γ·x̂ + β.
template <typename Real>
BNKATA_MULTIVERSION void group_norm_forward(Real* y, Real* mean, Real* var, Real* rstd, const Real* x,
                                            const Real* gamma, const Real* beta, Layout L, std::size_t G,
                                            double eps) {
    const std::size_t K = L.C * L.HW / G;
    const std::size_t groups = L.N * G, tile = groups_per_tile(K);
    const PerPosition<Real> gamma_at(gamma, L), beta_at(beta, L);
    std::vector<ShiftedSums> sums(std::min(tile, groups));
    for (std::size_t first = 0; first < groups; first += tile) {
        const std::size_t last = std::min(groups, first + tile);
        for (std::size_t q = first; q < last; ++q) sums[q - first] = shifted_sums(x + q * K, K, x[q * K]);

        // Statistics. Biased variance (÷ K): this is what normalises. Rounding may leave a tiny negative
        // where the answer is 0; a spread whose squares overflow gives NaN, which must stay NaN
        // (std::max(0.0, NaN) is 0). Mean and rstd are cached for backward.
        for (std::size_t q = first; q < last; ++q) {
            const ShiftedSums& s = sums[q - first];
            const double mean_d = s.d / static_cast<double>(K);
            const double m2 = s.d2 - s.d * mean_d;
            const double var_g = (m2 < 0 ? 0.0 : m2) / static_cast<double>(K);
            mean[q] = static_cast<Real>(static_cast<double>(x[q * K]) + mean_d);
            if (var) var[q] = static_cast<Real>(var_g);
            rstd[q] = static_cast<Real>(1.0 / std::sqrt(var_g + eps));
        }

        // y = γ·(x − μ)·rstd + β, element-wise in Real; γ and β are the channel's, so they change every
        // HW positions inside a group, hence per position.
        for (std::size_t q = first; q < last; ++q) {
            const Real *xg = x + q * K, *gamma_g = gamma_at.at + q % G * K, *beta_g = beta_at.at + q % G * K;
            Real* yg = y + q * K;
            const Real mu = mean[q], r = rstd[q];
            for (std::size_t i = 0; i < K; ++i) yg[i] = (xg[i] - mu) * r * gamma_g[i] + beta_g[i];
        }
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
// Per tile of groups, pass 1 gathers each group's Σ dx̂ and Σ dx̂·(x − μ); then each group's two
// coefficients; pass 2 writes dx and adds dy and dy·x̂ into per-position sums for dβ and dγ (folded per
// channel at the end). x̂ is recomputed from x, mean and rstd.
template <typename Real>
BNKATA_MULTIVERSION void group_norm_backward(Real* dx, Real* dgamma, Real* dbeta, const Real* dy, const Real* x,
                                             const Real* mean, const Real* rstd, const Real* gamma, Layout L,
                                             std::size_t G) {
    const std::size_t J = L.C * L.HW;
    const std::size_t K = J / G;
    const std::size_t groups = L.N * G, tile = groups_per_tile(K);
    const PerPosition<Real> gamma_at(gamma, L);
    std::vector<double> sum_dy(J, 0.0), sum_dy_xhat(J, 0.0);  // per position, over the examples
    std::vector<double> sum_dxhat(std::min(tile, groups)), sum_dxhat_xmu(std::min(tile, groups));
    std::vector<Real> mean_dxhat(std::min(tile, groups)), k_xmu(std::min(tile, groups));
    for (std::size_t first = 0; first < groups; first += tile) {
        const std::size_t last = std::min(groups, first + tile);
        // Pass 1: Σ dx̂ and Σ dx̂·(x − μ) over each group, in lanes.
        for (std::size_t q = first; q < last; ++q) {
            const Real *xg = x + q * K, *dyg = dy + q * K, *gamma_g = gamma_at.at + q % G * K;
            const Real mu = mean[q];
            double a = 0, b = 0;
            for (std::size_t i0 = 0; i0 < K; i0 += kBlock) {
                const std::size_t i1 = std::min(K, i0 + kBlock);
                Lanes<Real> lane_a, lane_b;
                std::size_t i = i0;
                for (; i + kLanes <= i1; i += kLanes)
                    for (std::size_t j = 0; j < Lanes<Real>::count; ++j) {
                        const auto xmu = Lanes<Real>::load(xg + i, j) - mu;
                        const auto dxhat = Lanes<Real>::load(gamma_g + i, j) * Lanes<Real>::load(dyg + i, j);
                        lane_a.v[j] += dxhat;
                        lane_b.v[j] += dxhat * xmu;
                    }
                if (i < i1) {  // the last few values, one per lane; the other lanes add 0
                    Real xmu[kLanes] = {}, dxhat[kLanes] = {};
                    for (std::size_t l = 0; i + l < i1; ++l) {
                        xmu[l] = xg[i + l] - mu;
                        dxhat[l] = gamma_g[i + l] * dyg[i + l];
                    }
                    for (std::size_t j = 0; j < Lanes<Real>::count; ++j) {
                        const auto dxhat_j = Lanes<Real>::load(dxhat, j);
                        lane_a.v[j] += dxhat_j;
                        lane_b.v[j] += dxhat_j * Lanes<Real>::load(xmu, j);
                    }
                }
                a += fold_lanes(lane_a);
                b += fold_lanes(lane_b);
            }
            sum_dxhat[q - first] = a;
            sum_dxhat_xmu[q - first] = b;
        }

        // Per group: dx = r·(dx̂ − mean(dx̂)) − (x − μ)·r³·mean(dx̂·(x − μ)).
        for (std::size_t q = first; q < last; ++q) {
            const double rd = static_cast<double>(rstd[q]);
            mean_dxhat[q - first] = static_cast<Real>(sum_dxhat[q - first] / static_cast<double>(K));
            k_xmu[q - first] = static_cast<Real>(rd * rd * rd * sum_dxhat_xmu[q - first] / static_cast<double>(K));
        }

        // Pass 2: dx, element-wise in Real; dy and dy·x̂ into the per-position sums (in increasing n).
        for (std::size_t q = first; q < last; ++q) {
            const Real *xg = x + q * K, *dyg = dy + q * K, *gamma_g = gamma_at.at + q % G * K;
            const Real mu = mean[q], r = rstd[q], m = mean_dxhat[q - first], k = k_xmu[q - first];
            double* sum_dy_g = sum_dy.data() + q % G * K;
            double* sum_dy_xhat_g = sum_dy_xhat.data() + q % G * K;
            Real* dxg = dx + q * K;
            for (std::size_t i = 0; i < K; ++i) {
                const Real xmu = xg[i] - mu;
                dxg[i] = (gamma_g[i] * dyg[i] - m) * r - xmu * k;
                sum_dy_g[i] += dyg[i];
                sum_dy_xhat_g[i] += dyg[i] * xmu * r;
            }
        }
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
