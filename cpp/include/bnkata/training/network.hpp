// network.hpp — a stack of dense layers (hidden layers, then a softmax output layer) with forward and
// backward passes, optionally with Batch Normalization (or layer or group norm) in every hidden layer.
//
// Shapes: N batch rows; layer l maps sizes[l] inputs to sizes[l+1] outputs (see layers.hpp for one
// hidden layer's equations). The output layer is z = a·W + b (logits), trained with softmax
// cross-entropy. Templated on Real: float is the lab's fast path; double is the same code, used by the
// tests to check the gradients against finite differences.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "bnkata/training/layers.hpp"
#include "bnkata/training/matmul.hpp"

namespace bnkata::training {

// The architecture and how BN behaves in it.
struct NetworkShape {
    std::vector<std::size_t> sizes;          // input, hidden…, classes (≥ 2 entries)
    Activation activation = Activation::sigmoid;
    BnPlacement batchnorm = BnPlacement::none;   // where each hidden layer's normalization sits
    bnkata::Norm norm;                            // which one: batch (default), layer, or group with norm.groups
    bool bn_grad_through_stats = true;       // false: Ioffe §2's "ignored dependence" experiment
    bool bias_before_bn = false;             // keep the (redundant) bias before a "before" BN anyway;
                                             //   implied by bn_grad_through_stats = false
    double bn_eps = 1e-5;
    double bn_momentum = 0.1;                // running stats, PyTorch convention
};

// A trainable array with its gradient and its momentum buffer.
template <typename Real>
struct Parameter {
    std::string name;  // "W1", "b1", "gamma1", "beta1", … (layers counted from 1)
    std::vector<Real> value, grad, velocity;
};

template <typename Real>
struct DenseLayer {
    std::size_t in = 0, out = 0;
    bool hidden = false, has_bias = false, has_bn = false;
    Parameter<Real> W, b, gamma, beta;           // b only if has_bias; gamma, beta only if has_bn
    std::vector<Real> WT;                        // Wᵀ (O,I), refreshed in backward for dX = dZ·Wᵀ
    std::vector<double> running_mean, running_var;  // (O), for inference mode
};

// Everything one batch size needs, allocated once (no allocation per step).
template <typename Real>
struct Workspace {
    std::size_t N = 0;
    struct PerLayer {
        std::vector<Real> z, u, h, a;      // see layers.hpp; u and a are used only where they differ from z, h
        std::vector<Real> da, dtmp, dz;    // ∂L/∂a, scratch, ∂L/∂z
        BnCache<Real> bn;                  // batch norm's statistics
        GroupNormCache<Real> gn;           // layer or group norm's, per example and group
        const Real* input = nullptr;       // x or the previous layer's a (set by forward)
        const Real* pre() const { return u.empty() ? z.data() : u.data(); }    // the nonlinearity's input
        const Real* post() const { return a.empty() ? h.data() : a.data(); }   // the layer's output
    };
    std::vector<PerLayer> layers;
    std::vector<double> eval_scale;        // scratch for inference-mode BN
};

enum class BnMode {
    train,               // batch statistics, running statistics updated (a training step)
    train_frozen,        // batch statistics, running statistics untouched (probes, gradient checks)
    inference            // running statistics
};

template <typename Real>
class Network {
public:
    // Builds the layers and draws the weights: Gaussian with the given standard deviation per weight
    // layer (weight_std[l]), from Stream::weights of the seed. The shape must be valid (see config).
    Network(const NetworkShape& shape, const std::vector<double>& weight_std, uint64_t seed);

    Workspace<Real> make_workspace(std::size_t N) const;

    // Forward pass of x (N, sizes[0]) into ws; returns the logits (N, classes) inside ws.
    // Mutates ws, and the running statistics when mode is BnMode::train.
    const Real* forward(Workspace<Real>& ws, const Real* x, BnMode mode);

    // Backward pass after forward(ws, …) in a training mode, from dlogits (N, classes): fills every
    // parameter's grad. Mutates ws and the grads (and the Wᵀ copies).
    void backward(Workspace<Real>& ws, const Real* dlogits);

    // Loss of (x, labels) with the gradients filled in: forward, softmax cross-entropy, backward.
    // dlogits is scratch (N, classes). Returns the mean loss.
    double loss_and_gradient(Workspace<Real>& ws, std::vector<Real>& dlogits, const Real* x,
                             const int32_t* labels, BnMode mode);

    // Every trainable parameter, in a fixed order (W1, b1, gamma1, beta1, W2, …).
    std::vector<Parameter<Real>*> parameters();
    std::size_t parameter_count() const;

    const NetworkShape& shape() const { return shape_; }
    std::vector<DenseLayer<Real>>& layers() { return layers_; }
    const std::vector<DenseLayer<Real>>& layers() const { return layers_; }
    std::size_t classes() const { return shape_.sizes.back(); }

private:
    Zeros input_zeros(std::size_t l) const;  // whether layer l's input may hold many exact zeros
    std::size_t groups(std::size_t O) const;  // G of a layer or group norm over O units

    NetworkShape shape_;
    std::vector<DenseLayer<Real>> layers_;
};

// True if all n values are finite.
template <typename Real>
bool all_finite(const Real* x, std::size_t n);

}  // namespace bnkata::training
