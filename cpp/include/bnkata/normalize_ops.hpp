// normalize_ops.hpp — the normalization family's requests of the JSON contract (normalize.hpp's kernels).
//
// Both take the whole request object and return the response or an error value naming the field
// (json_fields.hpp); neither throws. Fields, as bn_ops.hpp's:
//   "kind"    "batch" | "layer" | "instance" | "group" (required)
//   "groups"  G, a whole number that divides C; required for "group", refused for the other kinds
//   "x"       [N][C] or [N][C][H][W] (not [m]: which axis holds the examples and which the channels is
//             what tells the kinds apart)
//   "gamma", "beta"  [C], one per channel for every kind (default ones, zeros);  "eps" (default 1e-5)
// The statistics M are [C] for batch and [N][G] for the others (G = 1 for layer, C for instance); var is
// the biased variance, the one that normalises. The double-precision kernels do the arithmetic.
#pragma once

#include "bnkata/dispatch.hpp"

#include <nlohmann/json.hpp>

namespace bnkata {

// {"op":"normalize","kind","groups","x","gamma","beta","eps"} → {"y":T,"mean":M,"var":M}
// When each statistic covers a single value, σ² = 0 and y = β; the response then carries a "warning".
nlohmann::json op_normalize(const nlohmann::json& request);

// {"op":"normalize_backward", …normalize's fields…, "dy":T} → {"dx":T,"dgamma":[C],"dbeta":[C]}
// The gradients of normalize at x (with its own statistics), given the upstream gradient dy.
nlohmann::json op_normalize_backward(const nlohmann::json& request);

// The two ops above as rows of the op table (dispatch.hpp).
const OpTable& normalize_ops();

}  // namespace bnkata
