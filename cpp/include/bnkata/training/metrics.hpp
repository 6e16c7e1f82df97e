// metrics.hpp — what the lab plots: test accuracy and loss, the percentiles of one unit's input, and
// per-layer activation and gradient statistics.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bnkata/training/network.hpp"

namespace bnkata::training {

// Mean and standard deviation (population, ÷ n) of n values, accumulated in double, two passes.
struct Moments {
    double mean = 0, std = 0;
};
template <typename Real>
Moments moments(const Real* x, std::size_t n);

// Euclidean (Frobenius) norm of n values, accumulated in double.
template <typename Real>
double norm2(const Real* x, std::size_t n);

// The p-th quantile (p ∈ [0, 1]) of sorted values, interpolating linearly between neighbours
// (numpy's default): position p·(n − 1). Requires n ≥ 1.
double quantile_sorted(const std::vector<float>& sorted, double p);

// Accuracy and loss over a labelled set, and the values of one hidden unit's nonlinearity input.
struct Evaluation {
    double accuracy = 0, loss = 0;
    std::size_t examples = 0;
    double p15 = 0, p50 = 0, p85 = 0;  // of the monitored unit's input (u, see layers.hpp)
};

// Evaluates the first `count` examples of (x, labels) in inference mode (running BN statistics), in
// chunks of ws.N rows. monitor_layer < 0 means no monitored unit. Mutates ws and monitor_values
// (scratch, resized to count once).
template <typename Real>
Evaluation evaluate(Network<Real>& net, Workspace<Real>& ws, const Real* x, const int32_t* labels,
                    std::size_t count, int monitor_layer, std::size_t monitor_unit,
                    std::vector<float>& monitor_values);

// The same measure with every normalization in training mode: the first `count` examples in consecutive
// batches of ws.N (a last partial batch is left out), each batch normalised by its own statistics, the
// running statistics untouched. For batch norm this is how the network saw its data while it trained;
// for layer and group norm it equals evaluate()'s. No monitored unit. Mutates ws.
template <typename Real>
Evaluation evaluate_with_batch_statistics(Network<Real>& net, Workspace<Real>& ws, const Real* x,
                                         const int32_t* labels, std::size_t count);

// One weight layer's statistics on the last training batch (see docs/training.md).
struct LayerStatistics {
    Moments preactivation, activation;
    double weight_norm = 0, bias_norm = 0, weight_grad_norm = 0, output_grad_norm = 0;
    bool has_bias = false;
};

// Statistics of every weight layer after a training step in ws; dlogits is the output layer's gradient.
template <typename Real>
std::vector<LayerStatistics> layer_statistics(const Network<Real>& net, const Workspace<Real>& ws,
                                              const std::vector<Real>& dlogits);

}  // namespace bnkata::training
