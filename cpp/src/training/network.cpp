// network.cpp — the stack of dense layers: construction, forward, backward (see the header).
#include "bnkata/training/network.hpp"

#include <cmath>

#include "bnkata/batchnorm.hpp"
#include "bnkata/normalize.hpp"
#include "bnkata/training/init.hpp"
#include "bnkata/training/loss.hpp"
#include "bnkata/training/matmul.hpp"

namespace bnkata::training {

template <typename Real>
Network<Real>::Network(const NetworkShape& shape, const std::vector<double>& weight_std, uint64_t seed)
    : shape_(shape) {
    Rng rng(seed, Stream::weights);
    const std::size_t L = shape.sizes.size() - 1;
    layers_.resize(L);
    for (std::size_t l = 0; l < L; ++l) {
        DenseLayer<Real>& layer = layers_[l];
        const std::string id = std::to_string(l + 1);
        layer.in = shape.sizes[l];
        layer.out = shape.sizes[l + 1];
        layer.hidden = l + 1 < L;
        layer.has_bn = layer.hidden && shape.batchnorm != BnPlacement::none;
        // A bias right before BN is redundant (BN subtracts the batch mean, bias included), so it is
        // dropped — except in the Ioffe §2 experiment, which is about what happens to that bias.
        // Layer and group norm subtract one mean per example and group, which a per-unit bias does not
        // cancel: before them the bias stays.
        const bool bias_cancelled = layer.has_bn && shape.batchnorm == BnPlacement::before && shape.norm.kind == NormKind::batch;
        layer.has_bias = !bias_cancelled || !shape.bn_grad_through_stats || shape.bias_before_bn;
        layer.W.name = "W" + id;
        layer.W.value.resize(layer.in * layer.out);
        init_gaussian(layer.W.value.data(), layer.W.value.size(), weight_std[l], rng);
        if (layer.has_bias) {
            layer.b.name = "b" + id;
            layer.b.value.assign(layer.out, Real(0));
        }
        if (layer.has_bn) {
            layer.gamma.name = "gamma" + id;
            layer.gamma.value.assign(layer.out, Real(1));
            layer.beta.name = "beta" + id;
            layer.beta.value.assign(layer.out, Real(0));
            if (shape.norm.kind == NormKind::batch) {  // only batch norm keeps running statistics
                layer.running_mean.assign(layer.out, 0.0);
                layer.running_var.assign(layer.out, 1.0);
            }
        }
        for (Parameter<Real>* p : {&layer.W, &layer.b, &layer.gamma, &layer.beta}) {
            p->grad.assign(p->value.size(), Real(0));
            p->velocity.assign(p->value.size(), Real(0));
        }
        if (l > 0) layer.WT.resize(layer.in * layer.out);
    }
}

template <typename Real>
Workspace<Real> Network<Real>::make_workspace(std::size_t N) const {
    Workspace<Real> ws;
    ws.N = N;
    ws.layers.resize(layers_.size());
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        const DenseLayer<Real>& layer = layers_[l];
        auto& w = ws.layers[l];
        const std::size_t size = N * layer.out;
        w.z.resize(size);
        if (layer.hidden) {
            w.h.resize(size);
            if (layer.has_bn && shape_.batchnorm == BnPlacement::before) w.u.resize(size);
            if (layer.has_bn && shape_.batchnorm == BnPlacement::after) w.a.resize(size);
        }
        w.da.resize(size);
        w.dtmp.resize(size);
        w.dz.resize(size);
        if (layer.has_bn && shape_.norm.kind == NormKind::batch) w.bn.resize(layer.out);
        if (layer.has_bn && shape_.norm.kind != NormKind::batch) w.gn.resize(N, groups(layer.out));
    }
    return ws;
}

// Which layer inputs are worth scanning for zeros: the data (pixels), and ReLU outputs (unless a BN
// after the nonlinearity shifts them). Sigmoid and tanh outputs are never exactly zero.
template <typename Real>
Zeros Network<Real>::input_zeros(std::size_t l) const {
    if (l == 0) return Zeros::skip;
    const bool relu_output = shape_.activation == Activation::relu && shape_.batchnorm != BnPlacement::after;
    return relu_output ? Zeros::skip : Zeros::none_expected;
}

// G of a layer or group norm over O units (the config checks that norm.groups divides every hidden size).
template <typename Real>
std::size_t Network<Real>::groups(std::size_t O) const {
    return shape_.norm.groups_in(Layout{1, O, 1});
}

template <typename Real>
const Real* Network<Real>::forward(Workspace<Real>& ws, const Real* x, BnMode mode) {
    const std::size_t N = ws.N;
    const Real* input = x;
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        DenseLayer<Real>& layer = layers_[l];
        auto& w = ws.layers[l];
        const std::size_t O = layer.out;
        w.input = input;
        matmul_forward(w.z.data(), input, layer.W.value.data(), layer.has_bias ? layer.b.value.data() : nullptr,
                       N, layer.in, O, input_zeros(l));
        if (!layer.hidden) break;  // logits
        // BN on `bn_in` into `bn_out` — before the nonlinearity (z → u) or after it (h → a).
        auto batchnorm = [&](Real* bn_out, const Real* bn_in) {
            if (shape_.norm.kind != NormKind::batch) {  // per example: the same in every mode
                group_norm_layer_forward(bn_out, w.gn, bn_in, layer.gamma.value.data(), layer.beta.value.data(), N, O,
                                         groups(O), shape_.bn_eps);
                return;
            }
            if (mode == BnMode::inference) {
                bn_forward_eval(bn_out, bn_in, layer.gamma.value.data(), layer.beta.value.data(),
                                layer.running_mean.data(), layer.running_var.data(), N, O, shape_.bn_eps,
                                ws.eval_scale);
                return;
            }
            bn_forward_train(bn_out, w.bn, bn_in, layer.gamma.value.data(), layer.beta.value.data(), N, O,
                             shape_.bn_eps);
            if (mode == BnMode::train)
                update_running(layer.running_mean.data(), layer.running_var.data(), w.bn.mean.data(),
                               w.bn.var.data(), O, N, shape_.bn_momentum, Convention::pytorch);
        };
        if (layer.has_bn && shape_.batchnorm == BnPlacement::before) batchnorm(w.u.data(), w.z.data());
        activation_forward(w.h.data(), w.pre(), N * O, shape_.activation);
        if (layer.has_bn && shape_.batchnorm == BnPlacement::after) batchnorm(w.a.data(), w.h.data());
        input = w.post();
    }
    return ws.layers.back().z.data();
}

template <typename Real>
void Network<Real>::backward(Workspace<Real>& ws, const Real* dlogits) {
    const std::size_t N = ws.N;
    const bool relu = shape_.activation == Activation::relu;  // ReLU's gradient is zero where it is off
    for (std::size_t l = layers_.size(); l-- > 0;) {
        DenseLayer<Real>& layer = layers_[l];
        auto& w = ws.layers[l];
        const std::size_t O = layer.out;
        const Real* dz = dlogits;
        if (layer.hidden) {
            const bool through = shape_.bn_grad_through_stats;
            // ∂L/∂h: through BN-after first, if there is one.
            const Real* dh = w.da.data();
            auto batchnorm_backward = [&](Real* dx, const Real* dy, const Real* x) {
                if (shape_.norm.kind == NormKind::batch)
                    bn_backward(dx, layer.gamma.grad.data(), layer.beta.grad.data(), dy, x, w.bn,
                                layer.gamma.value.data(), N, O, through);
                else
                    group_norm_layer_backward(dx, layer.gamma.grad.data(), layer.beta.grad.data(), dy, x, w.gn,
                                              layer.gamma.value.data(), N, O, groups(O));
            };
            if (layer.has_bn && shape_.batchnorm == BnPlacement::after) {
                batchnorm_backward(w.dtmp.data(), w.da.data(), w.h.data());
                dh = w.dtmp.data();
            }
            // ∂L/∂u through the nonlinearity, then ∂L/∂z through BN-before, if there is one.
            if (layer.has_bn && shape_.batchnorm == BnPlacement::before) {
                activation_backward(w.dtmp.data(), dh, w.h.data(), N * O, shape_.activation);
                batchnorm_backward(w.dz.data(), w.dtmp.data(), w.z.data());
            } else {
                activation_backward(w.dz.data(), dh, w.h.data(), N * O, shape_.activation);
            }
            dz = w.dz.data();
        }
        // dW = xᵀ·dz, db = Σₙ dz, and dx = dz·Wᵀ for the layer below (not needed below the first layer).
        matmul_weight_grad(layer.W.grad.data(), w.input, dz, N, layer.in, O, input_zeros(l));
        if (layer.has_bias) {
            Real* db = layer.b.grad.data();
            for (std::size_t o = 0; o < O; ++o) db[o] = dz[o];
            for (std::size_t n = 1; n < N; ++n)
                for (std::size_t o = 0; o < O; ++o) db[o] += dz[n * O + o];
        }
        if (l > 0) {
            transpose(layer.WT.data(), layer.W.value.data(), layer.in, O);
            matmul_forward(ws.layers[l - 1].da.data(), dz, layer.WT.data(), static_cast<const Real*>(nullptr), N,
                           O, layer.in, relu ? Zeros::skip : Zeros::none_expected);
        }
    }
}

template <typename Real>
double Network<Real>::loss_and_gradient(Workspace<Real>& ws, std::vector<Real>& dlogits, const Real* x,
                                        const int32_t* labels, BnMode mode) {
    const Real* logits = forward(ws, x, mode);
    dlogits.resize(ws.N * classes());
    const double loss = softmax_cross_entropy(dlogits.data(), static_cast<std::size_t*>(nullptr), logits, labels,
                                              ws.N, classes());
    backward(ws, dlogits.data());
    return loss;
}

template <typename Real>
std::vector<Parameter<Real>*> Network<Real>::parameters() {
    std::vector<Parameter<Real>*> list;
    for (DenseLayer<Real>& layer : layers_)
        for (Parameter<Real>* p : {&layer.W, &layer.b, &layer.gamma, &layer.beta})
            if (!p->value.empty()) list.push_back(p);
    return list;
}

template <typename Real>
std::size_t Network<Real>::parameter_count() const {
    std::size_t count = 0;
    for (const DenseLayer<Real>& layer : layers_)
        count += layer.W.value.size() + layer.b.value.size() + layer.gamma.value.size() + layer.beta.value.size();
    return count;
}

template <typename Real>
bool all_finite(const Real* x, std::size_t n) {
    // x − x is 0 for finite x and NaN for ±inf and NaN; summing the lanes keeps the loop branch-free.
    Real acc = 0;
    for (std::size_t i = 0; i < n; ++i) acc += x[i] - x[i];
    return acc == Real(0);
}

template class Network<float>;
template class Network<double>;
template bool all_finite<float>(const float*, std::size_t);
template bool all_finite<double>(const double*, std::size_t);

}  // namespace bnkata::training
