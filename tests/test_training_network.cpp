// The whole network's gradients, checked against finite differences, and Ioffe & Szegedy §2's claim
// about what happens when the gradient ignores that μ_B depends on the bias.
//
// Gradient checks run the same engine code instantiated in double (Network<double>), so that central
// differences are accurate: with h = 1e-5 the truncation error is O(h²) ≈ 1e-10 and the rounding error of
// a loss near 1 is ≈ 1e-16/h ≈ 1e-11. Tolerance, for every parameter, analytic a vs numeric n:
//   |a − n| ≤ 1e-6·max(|a|, |n|) + 1e-9
// — 1e-6 relative (cs231n calls < 1e-7 "OK" for smooth nets; ReLU kinks and BN's 1/√(σ² + ε) curvature
// need a little more), and an absolute floor 1e-9, ~100× the differencing noise, for gradients near 0.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "bnkata/batchnorm.hpp"
#include "bnkata/normalize.hpp"
#include "bnkata/training/network.hpp"
#include "bnkata/training/probes.hpp"
#include "bnkata/training/random.hpp"

using namespace bnkata::training;

namespace {

struct Batch {
    std::vector<double> x;
    std::vector<int32_t> labels;
};

Batch random_batch(std::size_t N, std::size_t I, std::size_t classes, uint64_t seed) {
    Rng rng(seed, Stream::data);
    Batch b;
    b.x.resize(N * I);
    for (double& v : b.x) v = rng.normal();
    for (std::size_t n = 0; n < N; ++n) b.labels.push_back(static_cast<int32_t>(n % classes));
    return b;
}

NetworkShape small_shape(Activation f, BnPlacement bn) {
    NetworkShape s;
    s.sizes = {5, 7, 6, 4};
    s.activation = f;
    s.batchnorm = bn;
    return s;
}

// The worst ratio |a − n| / (1e-6·max(|a|, |n|) + 1e-9) (≤ 1 passes) between the analytic gradient of every parameter and central differences
// of the training-mode loss (batch statistics, running statistics frozen).
double worst_gradient_error(Network<double>& net, const Batch& batch, std::size_t N, std::string& where) {
    Workspace<double> ws = net.make_workspace(N);
    std::vector<double> dlogits;
    net.loss_and_gradient(ws, dlogits, batch.x.data(), batch.labels.data(), BnMode::train_frozen);
    std::vector<std::vector<double>> analytic;
    for (Parameter<double>* p : net.parameters()) analytic.push_back(p->grad);
    const double h = 1e-5;
    double worst = 0;
    std::size_t index = 0;
    for (Parameter<double>* p : net.parameters()) {
        for (std::size_t i = 0; i < p->value.size(); ++i) {
            const double saved = p->value[i];
            p->value[i] = saved + h;
            const double plus = net.loss_and_gradient(ws, dlogits, batch.x.data(), batch.labels.data(), BnMode::train_frozen);
            p->value[i] = saved - h;
            const double minus = net.loss_and_gradient(ws, dlogits, batch.x.data(), batch.labels.data(), BnMode::train_frozen);
            p->value[i] = saved;
            const double numeric = (plus - minus) / (2 * h);
            const double a = analytic[index][i];
            const double rel = std::fabs(a - numeric) / (1e-6 * std::max(std::fabs(a), std::fabs(numeric)) + 1e-9);
            if (rel > worst) {
                worst = rel;
                char text[160];
                std::snprintf(text, sizeof text, "%s[%zu] analytic %.12g numeric %.12g", p->name.c_str(), i, a, numeric);
                where = text;
            }
        }
        ++index;
    }
    return worst;
}

}  // namespace

TEST_CASE("the whole network's gradients match finite differences, with and without BN") {
    const std::size_t N = 8;
    const Batch batch = random_batch(N, 5, 4, 21);
    for (Activation f : {Activation::sigmoid, Activation::tanh, Activation::relu})
        for (BnPlacement bn : {BnPlacement::none, BnPlacement::before, BnPlacement::after}) {
            CAPTURE(static_cast<int>(f));
            CAPTURE(static_cast<int>(bn));
            Network<double> net(small_shape(f, bn), {0.8, 0.8, 0.8}, 4);
            // Non-trivial γ, β and biases, so that every term of the backward pass matters.
            Rng rng(9, Stream::data);
            for (Parameter<double>* p : net.parameters())
                if (p->name[0] != 'W')
                    for (double& v : p->value) v += 0.3 * rng.normal();
            std::string where;
            const double worst = worst_gradient_error(net, batch, N, where);
            CAPTURE(where);
            CHECK(worst <= 1.0);
        }
}

TEST_CASE("a bias right before BN is dropped, and with- and without-BN nets start from the same weights") {
    Network<float> plain(small_shape(Activation::sigmoid, BnPlacement::none), {0.1, 0.1, 0.1}, 17);
    Network<float> bn(small_shape(Activation::sigmoid, BnPlacement::before), {0.1, 0.1, 0.1}, 17);
    for (std::size_t l = 0; l < plain.layers().size(); ++l) {
        CAPTURE(l);
        CHECK(plain.layers()[l].W.value == bn.layers()[l].W.value);
        CHECK(plain.layers()[l].has_bias);
    }
    CHECK_FALSE(bn.layers()[0].has_bias);
    CHECK_FALSE(bn.layers()[1].has_bias);
    CHECK(bn.layers()[2].has_bias);  // the output layer has no BN after it
    CHECK(bn.layers()[0].gamma.value == std::vector<float>(7, 1.0f));
}

// Ioffe & Szegedy §2: with x = u + b and x̂ = x − E[x], an update that ignores E[x]'s dependence on b
// gives b ← b + Δb with Δb = −η·∂ℓ/∂x̂ summed over the batch; but then u + (b + Δb) − E[u + (b + Δb)] =
// u + b − E[u + b]: the output, hence the loss, does not change, and b keeps growing. With the full
// gradient, ∂ℓ/∂b = Σₙ ∂ℓ/∂xₙ = 0 exactly (the path through μ_B cancels it), so b does not move.
TEST_CASE("Ioffe §2: ignoring μ_B's dependence on the bias gives the bias a gradient the loss does not have") {
    const std::size_t N = 8;
    const Batch batch = random_batch(N, 5, 4, 33);
    NetworkShape exact = small_shape(Activation::sigmoid, BnPlacement::before);
    exact.bias_before_bn = true;  // keep b before BN so that we can look at its gradient
    NetworkShape ignored = exact;
    ignored.bn_grad_through_stats = false;
    Network<double> net_exact(exact, {0.8, 0.8, 0.8}, 5), net_ignored(ignored, {0.8, 0.8, 0.8}, 5);
    Workspace<double> ws_exact = net_exact.make_workspace(N), ws_ignored = net_ignored.make_workspace(N);
    std::vector<double> dlogits;
    const double loss_exact = net_exact.loss_and_gradient(ws_exact, dlogits, batch.x.data(), batch.labels.data(), BnMode::train_frozen);
    const double loss_ignored = net_ignored.loss_and_gradient(ws_ignored, dlogits, batch.x.data(), batch.labels.data(), BnMode::train_frozen);
    CHECK(loss_exact == loss_ignored);  // same forward pass: the switch changes only the backward pass

    const auto& b_exact = net_exact.layers()[0].b.grad;
    const auto& b_ignored = net_ignored.layers()[0].b.grad;
    const auto& dbeta = net_ignored.layers()[0].beta.grad;
    const auto& cache = ws_ignored.layers[0].bn;
    for (std::size_t o = 0; o < b_exact.size(); ++o) {
        CAPTURE(o);
        SUBCASE("with the gradient through μ_B and σ²_B, the bias before BN gets no gradient") {
            CHECK(std::fabs(b_exact[o]) < 1e-13);  // Σₙ dx = 0 up to double rounding of N terms ~1e-2
        }
        SUBCASE("without it, the bias gradient is γ·rstd·Σₙ ∂ℓ/∂u = γ·rstd·dβ, which does not vanish") {
            const double want = net_ignored.layers()[0].gamma.value[o] * cache.rstd[o] * dbeta[o];
            CHECK(b_ignored[o] == doctest::Approx(want).epsilon(1e-12));
            CHECK(std::fabs(b_ignored[o]) > 1e-6);
        }
    }

    SUBCASE("moving that bias does not change the loss at all (up to rounding)") {
        for (double& b : net_ignored.layers()[0].b.value) b += 5.0;
        const double moved = net_ignored.loss_and_gradient(ws_ignored, dlogits, batch.x.data(), batch.labels.data(), BnMode::train_frozen);
        CHECK(moved == doctest::Approx(loss_ignored).epsilon(1e-12));
    }

    SUBCASE("so repeated SGD steps make the bias grow while the loss stays where it was") {
        // Only b is updated, as in Ioffe's thought experiment.
        double first_norm = 0;
        for (int step = 0; step < 200; ++step) {
            const double loss = net_ignored.loss_and_gradient(ws_ignored, dlogits, batch.x.data(), batch.labels.data(), BnMode::train_frozen);
            CHECK(loss == doctest::Approx(loss_ignored).epsilon(1e-9));
            auto& b = net_ignored.layers()[0].b;
            for (std::size_t o = 0; o < b.value.size(); ++o) b.value[o] -= 1.0 * b.grad[o];
            if (step == 0) {
                double s = 0;
                for (double v : b.value) s += v * v;
                first_norm = std::sqrt(s);
            }
        }
        double s = 0;
        for (double v : net_ignored.layers()[0].b.value) s += v * v;
        CHECK(std::sqrt(s) > 50 * first_norm);  // it keeps moving in the same direction: linear growth
    }
}

TEST_CASE("the probe's loss along the gradient follows the first-order prediction L(w) − η‖g‖² for small η") {
    const std::size_t N = 8;
    const Batch batch = random_batch(N, 5, 4, 41);
    for (BnPlacement bn : {BnPlacement::none, BnPlacement::before}) {
        CAPTURE(static_cast<int>(bn));
        Network<double> net(small_shape(Activation::tanh, bn), {0.8, 0.8, 0.8}, 6);
        Workspace<double> ws = net.make_workspace(N);
        std::vector<double> dlogits, w0, g0;
        const std::vector<double> etas = {1e-5, 1e-4, 1.0};
        const std::vector<double> W1 = net.layers()[0].W.value;
        const ProbeResult r = probe_along_gradient(net, ws, dlogits, batch.x.data(), batch.labels.data(), etas, w0, g0);
        const double g2 = r.gradient_norm * r.gradient_norm;
        CHECK(r.gradient_norm > 0);
        // (L(w) − L(w − ηg)) / (η‖g‖²) → 1 as η → 0; the O(η) correction is far below 1e-2 at η = 1e-4.
        CHECK((r.loss - r.losses[0]) / (etas[0] * g2) == doctest::Approx(1.0).epsilon(1e-3));
        CHECK((r.loss - r.losses[1]) / (etas[1] * g2) == doctest::Approx(1.0).epsilon(1e-2));
        // Gradient differences shrink with η (the gradient is continuous) and the ranges cover them.
        CHECK(r.gradient_differences[0] < r.gradient_differences[1]);
        CHECK(r.predictiveness_min == r.gradient_differences[0]);
        CHECK(r.loss_max >= r.loss);
        CHECK(r.beta_smoothness > 0);
        CHECK(net.layers()[0].W.value == W1);  // the probe leaves the weights as it found them
    }
}

TEST_CASE("BN's forward in the network equals the core's forward_train on that layer's input, bit for bit") {
    // The network calls the core's kernel; this checks the wiring: the right tensor (z = x·W, no bias),
    // the right layout (N examples × O channels), the layer's own γ and β. Same code, so tolerance 0.
    const std::size_t N = 16;
    Rng rng(8, Stream::data);
    std::vector<float> x(N * 5);
    for (float& v : x) v = static_cast<float>(rng.normal());
    for (BnPlacement bn : {BnPlacement::before, BnPlacement::after}) {
        CAPTURE(static_cast<int>(bn));
        NetworkShape shape = small_shape(Activation::tanh, bn);
        Network<float> net(shape, {0.5, 0.5, 0.5}, 12);
        for (Parameter<float>* p : net.parameters())  // non-trivial γ, β
            if (p->name[0] == 'g' || p->name[0] == 'b')
                for (float& v : p->value) v += static_cast<float>(0.2 * rng.normal());
        Workspace<float> ws = net.make_workspace(N);
        net.forward(ws, x.data(), BnMode::train);
        for (std::size_t l = 0; l < 2; ++l) {
            CAPTURE(l);
            const DenseLayer<float>& layer = net.layers()[l];
            const auto& w = ws.layers[l];
            const std::size_t O = layer.out;
            const float* bn_in = bn == BnPlacement::before ? w.z.data() : w.h.data();
            const float* bn_out = bn == BnPlacement::before ? w.pre() : w.post();
            std::vector<float> y(N * O), mean(O), var(O), rstd(O);
            bnkata::forward_train(y.data(), mean.data(), var.data(), rstd.data(), bn_in, layer.gamma.value.data(),
                                  layer.beta.value.data(), bnkata::Layout{N, O, 1}, shape.bn_eps);
            for (std::size_t i = 0; i < y.size(); ++i) REQUIRE(bn_out[i] == y[i]);
            // and the running statistics moved from (0, 1) by momentum 0.1 towards this batch's
            for (std::size_t o = 0; o < O; ++o) {
                CHECK(layer.running_mean[o] == doctest::Approx(0.1 * mean[o]).epsilon(1e-12));
                CHECK(layer.running_var[o] == doctest::Approx(0.9 + 0.1 * var[o] * N / (N - 1.0)).epsilon(1e-12));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// Layer norm and group norm layers: the same place in the network as BN (before or after the
// nonlinearity), statistics per example over all of a hidden layer's units (layer) or over G groups of
// consecutive units (group).

namespace {
NetworkShape norm_shape(Activation f, BnPlacement placement, bnkata::NormKind kind, std::size_t groups) {
    NetworkShape s;
    s.sizes = {5, 8, 6, 4};  // hidden sizes 8 and 6: both divisible by G = 2
    s.activation = f;
    s.batchnorm = placement;
    s.norm = {kind, groups};
    return s;
}
}  // namespace

TEST_CASE("layer and group norm layers: the whole network's gradients match finite differences") {
    const std::size_t N = 6;
    const Batch batch = random_batch(N, 5, 4, 23);
    for (bnkata::NormKind kind : {bnkata::NormKind::layer, bnkata::NormKind::group})
        for (Activation f : {Activation::sigmoid, Activation::tanh, Activation::relu})
            for (BnPlacement placement : {BnPlacement::before, BnPlacement::after}) {
                CAPTURE(bnkata::kind_name(kind));
                CAPTURE(static_cast<int>(f));
                CAPTURE(static_cast<int>(placement));
                Network<double> net(norm_shape(f, placement, kind, 2), {0.8, 0.8, 0.8}, 4);
                Rng rng(9, Stream::data);
                for (Parameter<double>* p : net.parameters())
                    if (p->name[0] != 'W')
                        for (double& v : p->value) v += 0.3 * rng.normal();
                std::string where;
                const double worst = worst_gradient_error(net, batch, N, where);
                CAPTURE(where);
                CHECK(worst <= 1.0);
            }
}

TEST_CASE("layer and group norm: each example's group of units has mean 0 and variance σ²/(σ²+ε) before γ and β") {
    const std::size_t N = 5;
    Rng rng(31, Stream::data);
    std::vector<float> x(N * 5);
    for (float& v : x) v = static_cast<float>(rng.normal());
    for (auto norm : {std::pair{bnkata::NormKind::layer, std::size_t{1}}, std::pair{bnkata::NormKind::group, std::size_t{2}}}) {
        const bnkata::NormKind kind = norm.first;  // named: clang cannot capture a structured binding
        const std::size_t G = norm.second;
        CAPTURE(bnkata::kind_name(kind));
        const NetworkShape shape = norm_shape(Activation::tanh, BnPlacement::before, kind, G);
        Network<float> net(shape, {0.7, 0.7, 0.7}, 12);
        Workspace<float> ws = net.make_workspace(N);
        net.forward(ws, x.data(), BnMode::train);
        for (std::size_t l = 0; l < 2; ++l) {
            const std::size_t O = net.layers()[l].out, K = O / G;
            const auto& w = ws.layers[l];
            for (std::size_t n = 0; n < N; ++n)
                for (std::size_t g = 0; g < G; ++g) {
                    CAPTURE(l);
                    CAPTURE(n);
                    CAPTURE(g);
                    double mean_z = 0, mean_u = 0;
                    for (std::size_t k = 0; k < K; ++k) {
                        mean_z += w.z[n * O + g * K + k];
                        mean_u += w.pre()[n * O + g * K + k];  // γ = 1, β = 0: u = x̂
                    }
                    mean_z /= K;
                    mean_u /= K;
                    double var_z = 0, var_u = 0;
                    for (std::size_t k = 0; k < K; ++k) {
                        var_z += std::pow(w.z[n * O + g * K + k] - mean_z, 2);
                        var_u += std::pow(w.pre()[n * O + g * K + k] - mean_u, 2);
                    }
                    var_z /= K;
                    var_u /= K;
                    CHECK(std::fabs(mean_u) < 1e-6);
                    CHECK(var_u == doctest::Approx(var_z / (var_z + shape.bn_eps)).epsilon(1e-5));
                }
        }
        SUBCASE("the bias before them stays: a per-unit bias is not cancelled by a per-example mean") {
            CHECK(net.layers()[0].has_bias);
            CHECK(net.layers()[1].has_bias);
            CHECK(net.layers()[0].running_mean.empty());  // and no running statistics: nothing to average
        }
    }
}

TEST_CASE("layer and group norm in the network are the core's group-norm kernel, bit for bit") {
    const std::size_t N = 7;
    Rng rng(8, Stream::data);
    std::vector<float> x(N * 5);
    for (float& v : x) v = static_cast<float>(rng.normal());
    for (BnPlacement placement : {BnPlacement::before, BnPlacement::after}) {
        CAPTURE(static_cast<int>(placement));
        NetworkShape shape = norm_shape(Activation::sigmoid, placement, bnkata::NormKind::group, 2);
        Network<float> net(shape, {0.5, 0.5, 0.5}, 12);
        for (Parameter<float>* p : net.parameters())  // non-trivial γ, β
            if (p->name[0] == 'g' || p->name[0] == 'b')
                for (float& v : p->value) v += static_cast<float>(0.2 * rng.normal());
        Workspace<float> ws = net.make_workspace(N);
        net.forward(ws, x.data(), BnMode::train);
        for (std::size_t l = 0; l < 2; ++l) {
            CAPTURE(l);
            const DenseLayer<float>& layer = net.layers()[l];
            const auto& w = ws.layers[l];
            const std::size_t O = layer.out;
            const float* in = placement == BnPlacement::before ? w.z.data() : w.h.data();
            const float* out = placement == BnPlacement::before ? w.pre() : w.post();
            std::vector<float> y(N * O), mean(N * 2), rstd(N * 2);
            bnkata::group_norm_forward(y.data(), mean.data(), static_cast<float*>(nullptr), rstd.data(), in,
                                       layer.gamma.value.data(), layer.beta.value.data(), bnkata::Layout{N, O, 1}, 2,
                                       shape.bn_eps);
            for (std::size_t i = 0; i < y.size(); ++i) REQUIRE(out[i] == y[i]);
        }
    }
}

TEST_CASE("only batch norm mixes examples: with layer or group norm an example's logits do not depend on its batch, "
          "and training and inference modes agree") {
    const std::size_t N = 6;
    Rng rng(5, Stream::data);
    std::vector<float> x(N * 5);
    for (float& v : x) v = static_cast<float>(rng.normal());
    for (auto norm : {std::pair{bnkata::NormKind::layer, std::size_t{1}}, std::pair{bnkata::NormKind::group, std::size_t{2}},
                           std::pair{bnkata::NormKind::batch, std::size_t{1}}}) {
        const bnkata::NormKind kind = norm.first;  // named: clang cannot capture a structured binding
        const std::size_t G = norm.second;
        CAPTURE(bnkata::kind_name(kind));
        Network<float> net(norm_shape(Activation::relu, BnPlacement::after, kind, G), {0.6, 0.6, 0.6}, 3);
        auto logits = [&](std::size_t rows, BnMode mode) {
            Workspace<float> ws = net.make_workspace(rows);
            const float* z = net.forward(ws, x.data(), mode);
            return std::vector<float>(z, z + rows * 4);
        };
        const std::vector<float> in_batch = logits(N, BnMode::train_frozen);
        const std::vector<float> in_pair = logits(2, BnMode::train_frozen);  // the first two examples alone
        const std::vector<float> inference = logits(N, BnMode::inference);
        const bool same_in_pair = std::equal(in_pair.begin(), in_pair.end(), in_batch.begin());
        const bool same_in_inference = inference == in_batch;
        if (kind == bnkata::NormKind::batch) {
            CHECK_FALSE(same_in_pair);       // the first two examples, normalised with two others' statistics
            CHECK_FALSE(same_in_inference);  // running statistics (0, 1) are not this batch's
        } else {
            CHECK(same_in_pair);
            CHECK(same_in_inference);
        }
    }
}
