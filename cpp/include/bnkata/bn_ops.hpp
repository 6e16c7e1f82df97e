// bn_ops.hpp — the Batch Normalization requests of the JSON contract, one function each.
//
// Each takes the whole request object and returns either the response or an error value
// ({"error":{"field","message"}}, json_fields.hpp); none throws. T is a nested array [m], [N][C] or
// [N][C][H][W] (tensor.hpp); per-channel vectors have C entries (1 for [m]). Responses keep x's nesting.
// The double-precision kernels (batchnorm.hpp) do the arithmetic.
#pragma once

#include "bnkata/dispatch.hpp"
#include "bnkata/json_fields.hpp"
#include "bnkata/tensor.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace bnkata {

// Defaults of the optional fields.
constexpr double kDefaultEps = 1e-5;  // PyTorch's and ONNX's ε

// What every op that normalises shares (these and normalize_ops.hpp's):
// reads eps: optional, a finite number > 0 (ε is what keeps 1/√(σ² + ε) finite when σ² = 0);
Problem read_eps(const nlohmann::json& request, double& eps);
// whether every value is finite — finite inputs can still overflow on the way (x = [1e308, −1e308] has a
// variance of 1e616), and JSON has no infinity, so such an answer would silently print as null;
bool all_finite(const std::vector<double>& values);
// and the error that refuses such an answer;
extern const FieldError kOverflow;
// reads dy, the upstream gradient of a backward op: a tensor of x's shape.
Problem read_dy(const nlohmann::json& request, const Tensor& x, Tensor& dy);

// {"op":"forward_train","x":T,"gamma":[C]=ones,"beta":[C]=zeros,"eps":1e-5}
//   → {"y":T,"batch_mean":[C],"batch_var":[C]}   (batch_var is the biased variance, the one that normalises)
// With one value per channel, σ² = 0 and y = β; the response then carries a "warning" saying why.
nlohmann::json op_forward_train(const nlohmann::json& request);

// {"op":"forward_stages","x":T,"gamma","beta","eps"} (the fields, defaults and errors of forward_train)
//   → {"batch_mean":[C],"batch_var":[C],"std":[C],"stages":[{"name","values":T,"mean":[C],"var":[C]} ×4]}
// The forward pass taken apart for the lesson (forward_stages.hpp): std = √(σ²_B + ε), and the stages
// x, x − μ, x̂, γx̂ + β, each with its per-channel mean and biased variance. Same warning as forward_train.
nlohmann::json op_forward_stages(const nlohmann::json& request);

// {"op":"forward_eval","x":T,"gamma","beta","running_mean":[C],"running_var":[C],"eps"} → {"y":T}
nlohmann::json op_forward_eval(const nlohmann::json& request);

// {"op":"backward","x":T,"gamma","beta","dy":T,"eps"} → {"dx":T,"dgamma":[C],"dbeta":[C]}
// The gradients of training-mode forward (batch statistics) at x, given the upstream gradient dy.
nlohmann::json op_backward(const nlohmann::json& request);

// {"op":"update_running","x":T,"running_mean":[C],"running_var":[C],"momentum","convention":"pytorch"|"keras"}
//   → {"running_mean":[C],"running_var":[C],"batch_mean":[C],"batch_var":[C]}
// momentum defaults to the convention's (0.1 | 0.99). Under pytorch a batch with one value per channel
// is refused, as PyTorch refuses it: the unbiased variance it stores is undefined.
nlohmann::json op_update_running(const nlohmann::json& request);

// The five ops above, then gradient_projection (gradient_projection.hpp), as rows of the op table
// (dispatch.hpp), in this order; then the normalization family's (normalize_ops.hpp), then draw_batch
// (draw_batch.hpp, the figures' random batches): all the page's first-visit module answers.
const OpTable& batchnorm_ops();

}  // namespace bnkata
