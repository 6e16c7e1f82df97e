// gradient_projection.hpp — what batch norm's backward pass does to the gradient arriving from above,
// taken apart for step 3's figure: from the bracket of the closed form to Santurkar et al.'s smoother
// landscape.
//
// For one feature with m values, x̂ = (x − μ_B)/s with s = √(σ²_B + ε), and the upstream gradient
// δ = ∂ℓ/∂y, the backward pass is
//   ∂ℓ/∂x = (γ/s)·P δ,   P δ = δ − mean(δ)·1 − x̂·(δ·x̂)/m:
// P removes δ's mean and its component along x̂, then γ/s rescales. Because x̂ ⟂ 1 and ‖x̂‖² ≤ m
// (‖x̂‖² = m·σ²/(σ² + ε)),
//   ‖P δ‖² = ‖δ‖² − (Σδ)²/m − (δ·x̂)²/m·(2 − ‖x̂‖²/m) ≤ ‖δ‖² − (Σδ)²/m − (δ·x̂)²/m,
// so ‖∂ℓ/∂x‖² ≤ γ²/(σ² + ε)·(‖δ‖² − (Σδ)²/m − (δ·x̂)²/m): the computation behind Santurkar, Tsipras,
// Ilyas & Madry (2018), Theorem 4.1. Removing components can only shrink the gradient; γ/s > 1 can
// still amplify it.
#pragma once

#include <nlohmann/json.hpp>

namespace bnkata {

// {"op":"gradient_projection","x":[m],"dy":[m],"gamma":number=1,"eps":1e-5}   (one feature, m ≥ 1)
//   → {"xhat":[m],"centred":[m],"projected":[m],"dx":[m],"scale":γ/s,
//      "norms":{"dy","centred","projected","dx"},"bound":γ²/(σ²+ε)·(‖δ‖² − (Σδ)²/m − (δ·x̂)²/m),
//      "dx_norm_squared":‖∂ℓ/∂x‖²}
// centred = δ − mean(δ); projected = P δ; dx is the kernel's backward (batchnorm.hpp), which equals
// scale·projected. Errors are values naming the field, as for every op.
nlohmann::json op_gradient_projection(const nlohmann::json& request);

}  // namespace bnkata
