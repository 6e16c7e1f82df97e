// tensor.hpp — a batch as the learner writes it (a nested JSON array) and as the kernels read it (flat).
//
// Accepted nestings, and how each maps onto the kernels' (N, C, HW) layout (batchnorm.hpp):
//   [m]            a batch of m values of one feature     → N = m, C = 1, HW = 1
//   [N][C]         N examples of C features               → N, C, HW = 1
//   [N][C][H][W]   N images of C channels of H×W          → N, C, HW = H·W
// Every level must be a non-empty array of equal-length arrays, and every leaf a finite number.
#pragma once

#include "bnkata/batchnorm.hpp"
#include "bnkata/json_fields.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace bnkata {

// Limits on what a request may contain (documented in the README's JSON contract).
constexpr std::size_t kMaxTensorValues = std::size_t{1} << 20;  // 1,048,576 numbers per tensor

struct Tensor {
    std::vector<double> values;       // flat, row-major (N, C, HW)
    std::vector<std::size_t> shape;   // as nested: {m}, {N, C} or {N, C, H, W}
    Layout layout;                    // the kernels' view of shape
};

// "[2][3]" for shape {2, 3}: how messages name a shape.
std::string describe_shape(const std::vector<std::size_t>& shape);

// Reads request[name] as a tensor. Errors name the field and the offending element, e.g.
// {"x", "element [1][0] is null; expected a number"}.
Problem read_tensor(const nlohmann::json& request, const char* name, Tensor& out);

// Which values a per-channel field accepts: any finite number, or (for variances) only those ≥ 0.
enum class PerChannelValues { any, non_negative };

// Reads request[name] as one number per channel (exactly C of them). When absent: C copies of fallback
// if there is one, else "missing".
Problem read_per_channel(const nlohmann::json& request, const char* name, std::size_t C, std::vector<double>& out,
                         std::optional<double> fallback = std::nullopt,
                         PerChannelValues accepted = PerChannelValues::any);

// The inverse of read_tensor: flat values laid out in the nesting given by shape.
nlohmann::json tensor_to_json(const std::vector<double>& values, const std::vector<std::size_t>& shape);

}  // namespace bnkata
