// normalize.hpp — the normalization family: the same x̂ = (x − μ)/√(σ² + ε), y = γ·x̂ + β, with the
// statistics taken over different sets of values.
//
// Shapes, as in batchnorm.hpp:
//   N  examples      C  channels      HW  spatial positions (1 for a dense (N, C) batch)
//   G  groups: the C channels split into G runs of C/G consecutive channels (G divides C)
//   x, y, dx, dy are (N, C, HW), row-major; gamma, beta, dgamma, dbeta are (C) for every kind.
//   The statistics (mean, var, rstd) are (C) for batch and (N, G) for the other three.
//
// Which values share one mean and variance (Wu & He 2018, Fig. 2):
//   batch     one channel, across the whole batch: N·HW values          (Ioffe & Szegedy 2015)
//   layer     one example, all its channels: C·HW values  = group, G = 1   (Ba, Kiros & Hinton 2016)
//   instance  one example, one channel: HW values        = group, G = C   (Ulyanov, Vedaldi & Lempitsky 2016)
//   group     one example, C/G channels: (C/G)·HW values               (Wu & He 2018)
// batch is batchnorm.hpp's forward_train and backward; the other three are one kernel, group norm, with
// G = 1, C or the caller's G. Only batch mixes examples, so only batch norm's output for one example
// depends on the rest of its batch.
//
// γ and β are per channel for all four, as in the GroupNorm paper and torch.nn.GroupNorm (LayerNorm =
// GroupNorm(1, C), InstanceNorm = GroupNorm(C, C)). torch.nn.LayerNorm differs: its γ and β have the
// shape it normalises over (C·HW values, one per element of an example), not one per channel.
//
// Argument order follows batchnorm.hpp: outputs, then inputs, then the layout, then scalars. Kernels are
// templates over Real = double (the lesson) or float; every reduction ends in double accumulators.
#pragma once

#include "bnkata/batchnorm.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace bnkata {

enum class NormKind { batch, layer, instance, group };

// A member of the family: its kind and, for group, the number of groups.
struct Norm {
    NormKind kind = NormKind::batch;
    std::size_t groups = 1;  // read only when kind == group

    // G for the (N, G) statistics: 1 for layer, C for instance, groups for group (unused for batch).
    std::size_t groups_in(Layout L) const;
    // How many mean/var/rstd values a forward pass writes: C for batch, N·G for the others.
    std::size_t statistics_count(Layout L) const;
    // How many values share one mean and variance: N·HW for batch, (C/G)·HW for the others.
    std::size_t values_per_statistic(Layout L) const;
};

// "batch", "layer", "instance", "group"; and back (nullopt for any other name).
const char* kind_name(NormKind kind);
std::optional<NormKind> kind_from_name(const std::string& name);

// ---------------------------------------------------------------------------------------------------
// Group norm, the kernel behind layer, instance and group.
//
// Forward: for every example n and group g, the mean and biased variance of its (C/G)·HW values —
// contiguous in memory, x[n, g·C/G .. (g+1)·C/G − 1, :] — then y = γ_c·(x − μ)·rstd + β_c. Writes y
// (N,C,HW) and, per (n, g), mean, var (may be nullptr) and rstd = 1/√(var + ε), cached for backward.
// Statistics are shifted sums, exact at 1e8 + N(0, 1) as batchnorm.cpp's are. Requires G to divide C.
// Mutates only the outputs.
template <typename Real>
void group_norm_forward(Real* y, Real* mean, Real* var, Real* rstd, const Real* x, const Real* gamma,
                        const Real* beta, Layout L, std::size_t G, double eps);

// Backward of group_norm_forward, in closed form (the derivation is above the loop in the .cpp). Given
// dy and the cached mean and rstd (N, G), writes dx (N,C,HW), dgamma and dbeta (C). Recomputes x̂.
// Mutates only the outputs.
template <typename Real>
void group_norm_backward(Real* dx, Real* dgamma, Real* dbeta, const Real* dy, const Real* x, const Real* mean,
                         const Real* rstd, const Real* gamma, Layout L, std::size_t G);

// ---------------------------------------------------------------------------------------------------
// The family through one door: batch → forward_train / backward (batchnorm.hpp), the others → group norm
// with norm.groups_in(L) groups. mean, var, rstd hold norm.statistics_count(L) values. Mutates only the
// outputs.
template <typename Real>
void normalize_forward(Real* y, Real* mean, Real* var, Real* rstd, const Real* x, const Real* gamma,
                       const Real* beta, Layout L, Norm norm, double eps);

template <typename Real>
void normalize_backward(Real* dx, Real* dgamma, Real* dbeta, const Real* dy, const Real* x, const Real* mean,
                        const Real* rstd, const Real* gamma, Layout L, Norm norm);

}  // namespace bnkata
