// probes.hpp — Santurkar et al. (2018)'s look at the loss landscape along the gradient.
//
// At weights w and a batch B: g = ∇L(w; B); for each step size η, L(w − ηg) and ∇L(w − ηg) on the same B,
// with training-mode BN (the batch's own statistics; running statistics untouched). From them:
//   loss range              [min, max] of L(w) and every L(w − ηg)      — how far the loss can swing
//   gradient predictiveness ‖∇L(w) − ∇L(w − ηg)‖, its [min, max]        — how well g predicts the gradient
//   effective β-smoothness  max_η ‖∇L(w) − ∇L(w − ηg)‖ / ‖ηg‖          — the largest gradient change per
//                                                                        unit of distance travelled
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bnkata/training/network.hpp"

namespace bnkata::training {

struct ProbeResult {
    double loss = 0, gradient_norm = 0;       // L(w) and ‖g‖
    std::vector<double> etas, losses, gradient_differences;  // per η; non-finite when that step blew up
    double loss_min = 0, loss_max = 0;        // over L(w) and the finite L(w − ηg)
    double predictiveness_min = 0, predictiveness_max = 0;  // over the finite differences
    double beta_smoothness = 0;               // over the finite differences with η·‖g‖ > 0
};

// Runs the probe on (x, labels) — ws.N rows — and leaves every parameter's value and gradient as it found
// them. w0 and g0 are scratch (resized to the parameter count once). Mutates ws and the scratch.
template <typename Real>
ProbeResult probe_along_gradient(Network<Real>& net, Workspace<Real>& ws, std::vector<Real>& dlogits,
                                 const Real* x, const int32_t* labels, const std::vector<double>& etas,
                                 std::vector<Real>& w0, std::vector<Real>& g0);

}  // namespace bnkata::training
