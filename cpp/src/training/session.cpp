// session.cpp — one training run (see the header).
#include "bnkata/training/session.hpp"

#include <algorithm>
#include <cmath>

#include "bnkata/training/optimizer.hpp"

namespace bnkata::training {

namespace {
constexpr std::size_t kEvalChunk = 250;  // rows per inference-mode forward pass
}

Session::Session(const Config& config)
    : config_(config),
      net_(config.shape, config.weight_std(), config.seed),
      train_ws_(net_.make_workspace(config.batch_size)),
      eval_ws_(net_.make_workspace(kEvalChunk)),
      batch_eval_ws_(config.test_batch_statistics ? net_.make_workspace(config.batch_size) : Workspace<float>{}),
      batch_rng_(config.seed, Stream::batch_order) {
    const std::size_t I = config.shape.sizes.front();
    batch_x_.resize(config.batch_size * I);
    batch_labels_.resize(config.batch_size);
    dlogits_.resize(config.batch_size * net_.classes());
    if (!config.data.external) {
        const std::size_t classes = net_.classes();
        train_ = std::make_shared<const Dataset>(
            make_synthetic(config.data.kind, config.data.train, classes, config.data.noise, config.seed, 0));
        test_ = std::make_shared<const Dataset>(
            make_synthetic(config.data.kind, config.data.test, classes, config.data.noise, config.seed, 1));
        order_.resize(train_->count);
        for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = static_cast<uint32_t>(i);
        shuffle(order_.data(), order_.size(), batch_rng_);
    }
}

std::optional<ConfigError> Session::set_data(Split split, std::shared_ptr<const Dataset> data) {
    const std::size_t I = config_.shape.sizes.front();
    const std::size_t count = data->count, values = data->x.size();
    if (count == 0 || values != count * I || data->labels.size() != count)
        return ConfigError{"images", "expected " + std::to_string(data->labels.size()) + " examples (one per label) × " +
                                         std::to_string(I) + " inputs = " + std::to_string(data->labels.size() * I) +
                                         " values, got " + std::to_string(values)};
    if (split == Split::train && count < config_.batch_size)
        return ConfigError{"labels", "expected at least batch_size (" + std::to_string(config_.batch_size) +
                                         ") training examples, got " + std::to_string(count)};
    for (std::size_t i = 0; i < count; ++i)
        if (data->labels[i] < 0 || static_cast<std::size_t>(data->labels[i]) >= net_.classes())
            return ConfigError{"labels", "expected labels from 0 to " + std::to_string(net_.classes() - 1) + ", got " +
                                             std::to_string(data->labels[i]) + " at index " + std::to_string(i)};
    if (split == Split::test) {
        test_ = std::move(data);
        return std::nullopt;
    }
    train_ = std::move(data);
    order_.resize(count);
    for (std::size_t i = 0; i < count; ++i) order_[i] = static_cast<uint32_t>(i);
    batch_rng_ = Rng(config_.seed, Stream::batch_order);
    shuffle(order_.data(), order_.size(), batch_rng_);
    position_ = 0;
    return std::nullopt;
}

void Session::fill_batch() {
    const std::size_t I = config_.shape.sizes.front();
    for (std::size_t n = 0; n < config_.batch_size; ++n) {
        const std::size_t e = order_[position_ + n];
        std::copy(train_->x.begin() + static_cast<std::ptrdiff_t>(e * I), train_->x.begin() + static_cast<std::ptrdiff_t>((e + 1) * I),
                  batch_x_.begin() + static_cast<std::ptrdiff_t>(n * I));
        batch_labels_[n] = train_->labels[e];
    }
}

// Batches are drawn without replacement from a shuffled order; an epoch's last partial batch is dropped.
void Session::advance_batch() {
    position_ += config_.batch_size;
    if (position_ + config_.batch_size > order_.size()) {
        shuffle(order_.data(), order_.size(), batch_rng_);
        position_ = 0;
    }
}

std::string Session::first_non_finite() const {
    const auto& layers = net_.layers();
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const DenseLayer<float>& layer = layers[l];
        const std::string id = std::to_string(l + 1);
        if (!all_finite(layer.W.value.data(), layer.W.value.size())) return "weights of layer " + id;
        if (!all_finite(layer.b.value.data(), layer.b.value.size())) return "biases of layer " + id;
        if (!all_finite(layer.gamma.value.data(), layer.gamma.value.size()) ||
            !all_finite(layer.beta.value.data(), layer.beta.value.size()))
            return "BN scale or shift of layer " + id;
    }
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const auto& w = train_ws_.layers[l];
        const std::string id = std::to_string(l + 1);
        const std::size_t size = train_ws_.N * layers[l].out;
        if (!layers[l].hidden) return all_finite(w.z.data(), size) ? "loss" : "logits";
        if (!all_finite(w.z.data(), size)) return "pre-activations of layer " + id;
        if (!all_finite(w.pre(), size)) return "BN outputs of layer " + id;
        if (!all_finite(w.post(), size)) return "activations of layer " + id;
    }
    return "loss";
}

// One SGD update of the parameters the config trains: every one, or only the biases right before a BN.
void Session::update_parameters() {
    for (DenseLayer<float>& layer : net_.layers())
        for (Parameter<float>* p : {&layer.W, &layer.b, &layer.gamma, &layer.beta}) {
            if (p->value.empty()) continue;
            if (config_.trainable == Trainable::bias_before_bn && !(p == &layer.b && layer.has_bn)) continue;
            sgd_step(p->value.data(), p->velocity.data(), p->grad.data(), p->value.size(), config_.learning_rate,
                     config_.momentum);
        }
}

std::optional<ConfigError> Session::step(std::size_t k, StepReport& report) {
    if (!train_) return ConfigError{"data", "no training data: call setData('train', images, labels) first"};
    report = StepReport{};
    report.batch_losses.reserve(k);
    std::size_t taken = 0;
    for (; taken < k && !diverged_; ++taken) {
        fill_batch();
        const double loss = net_.loss_and_gradient(train_ws_, dlogits_, batch_x_.data(), batch_labels_.data(), BnMode::train);
        if (!std::isfinite(loss)) {
            diverged_ = Divergence{step_ + 1, first_non_finite()};
            break;
        }
        update_parameters();
        advance_batch();
        ++step_;
        report.batch_losses.push_back(loss);
    }
    // A gradient can overflow while the loss is still finite: check the updated weights once per call.
    if (!diverged_ && taken > 0) {
        for (const DenseLayer<float>& layer : net_.layers())
            if (!all_finite(layer.W.value.data(), layer.W.value.size()) || !all_finite(layer.b.value.data(), layer.b.value.size()) ||
                !all_finite(layer.gamma.value.data(), layer.gamma.value.size()) ||
                !all_finite(layer.beta.value.data(), layer.beta.value.size())) {
                diverged_ = Divergence{step_, first_non_finite()};
                break;
            }
    }
    report.step = step_;
    report.diverged = diverged_;
    if (taken > 0 && !diverged_) report.layers = layer_statistics(net_, train_ws_, dlogits_);
    if (test_ && !diverged_) {
        report.has_test = true;
        report.test = evaluate(net_, eval_ws_, test_->x.data(), test_->labels.data(),
                               std::min(config_.test_examples, test_->count), config_.monitor_layer,
                               config_.monitor_unit, monitor_values_);
        if (config_.test_batch_statistics)
            report.test_batch_statistics = evaluate_with_batch_statistics(
                net_, batch_eval_ws_, test_->x.data(), test_->labels.data(), std::min(config_.test_examples, test_->count));
    }
    return std::nullopt;
}

std::optional<ConfigError> Session::probe(const std::vector<double>& etas, ProbeResult& result) {
    if (!train_) return ConfigError{"data", "no training data: call setData('train', images, labels) first"};
    if (diverged_) return ConfigError{"probe", "the run diverged at step " + std::to_string(diverged_->step)};
    if (step_ == 0) fill_batch();  // before the first step, the first batch; afterwards batch_x_ holds the last one
    result = probe_along_gradient(net_, train_ws_, dlogits_, batch_x_.data(), batch_labels_.data(), etas, probe_w_, probe_g_);
    return std::nullopt;
}

}  // namespace bnkata::training
