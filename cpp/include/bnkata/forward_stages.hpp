// forward_stages.hpp — the training-mode forward pass taken apart, stage by stage, as the kata's step 5
// verifies it: x → x − μ_B → x̂ → γx̂ + β, with the mean and the variance after each stage.
//
// The kernels (batchnorm.hpp) fuse these stages into one affine map per channel; this is the same
// arithmetic with every intermediate kept, for the lesson's figures and the exercises' failure traces.
// It is not a fast path: four tensors are written where forward_train writes one.
#pragma once

#include "bnkata/batchnorm.hpp"

#include <vector>

namespace bnkata {

// One stage: its values, laid out like x (N,C,HW), and their per-channel statistics (C) as
// batch_statistics measures them (mean, biased variance).
struct ForwardStage {
    const char* name;            // "x", "x − μ", "x̂", "γx̂ + β"
    std::vector<double> values;  // (N,C,HW)
    std::vector<double> mean;    // (C)
    std::vector<double> var;     // (C), biased (÷ N·HW)
};

struct ForwardStages {
    std::vector<double> batch_mean;  // (C), μ_B
    std::vector<double> batch_var;   // (C), σ²_B, biased: the one that normalises
    std::vector<double> std_dev;     // (C), √(σ²_B + ε): what x − μ_B is divided by
    std::vector<ForwardStage> stages;  // the four stages, in the kata's order
};

// The stages of forward_train on x (N,C,HW) with gamma, beta (C) and eps > 0. The last stage's values are
// exactly forward_train's y, and x̂ is exactly forward_train's y with γ = 1, β = 0 (the same subtraction,
// the same multiplication by 1/√(σ²_B + ε)). Pure: reads its inputs only.
ForwardStages forward_stages(const double* x, const double* gamma, const double* beta, Layout L, double eps);

}  // namespace bnkata
