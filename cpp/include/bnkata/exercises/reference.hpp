// reference.hpp — the right answers, computed with the core's kernels (batchnorm.hpp) on the small 1-D
// batches the exercises use, so that the lesson grades against exactly the code it teaches.
// Everything here is pure: vectors in, values out.
#pragma once

#include <string>
#include <vector>

#include "bnkata/batchnorm.hpp"

namespace bnkata::exercises {

using Vec = std::vector<double>;

// Batch statistics of one feature's values: mean, biased variance (÷ m), unbiased variance (÷ (m − 1)).
struct Statistics {
    double mean = 0;
    double var = 0;
    double var_unbiased = 0;
};
Statistics statistics(const Vec& x);

// Training-mode forward pass of one feature: y = γ·(x − μ_B)/√(σ²_B + ε) + β, and its μ_B and σ²_B.
struct Forward {
    Vec y;
    double mean = 0;
    double var = 0;
};
Forward forward(const Vec& x, double gamma, double beta, double eps);

// The same forward pass of one feature taken apart (the core's forward_stages): x, x − μ_B, x̂, γx̂ + β,
// each with the mean and biased variance of its values.
struct Stage {
    std::string name;
    Vec values;
    double mean = 0;
    double var = 0;
};
std::vector<Stage> forward_stages(const Vec& x, double gamma, double beta, double eps);

// Eval-mode forward pass of one feature from running statistics.
Vec forward_eval(const Vec& x, double gamma, double beta, double running_mean, double running_var, double eps);

// The running statistics of one feature after the given batches, from (running_mean, running_var),
// under a framework's convention and momentum.
struct Running {
    double mean = 0;
    double var = 1;
};
Running running_after(const std::vector<Vec>& batches, Running start, double momentum, Convention convention);

// Backward pass of forward(): dx, dγ, dβ for one feature.
struct Backward {
    Vec dx;
    double dgamma = 0;
    double dbeta = 0;
};
Backward backward(const Vec& dy, const Vec& x, double gamma, double eps);

}  // namespace bnkata::exercises
