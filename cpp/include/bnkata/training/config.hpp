// config.hpp — a training run's configuration, read from JSON with every field validated.
//
// The fields, their defaults and meanings are documented in docs/training.md. Reading never throws:
// a bad field gives a ConfigError naming it and saying what was expected.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "bnkata/json_fields.hpp"
#include "bnkata/training/network.hpp"
#include "bnkata/training/synthetic_data.hpp"

namespace bnkata::training {

enum class InitMode { absolute, fan_in };

// Which parameters SGD updates. bias_before_bn: only the biases right before a "before" BN (kept for
// this), every other parameter frozen — Ioffe & Szegedy's §2 thought experiment, in which only the bias
// learns, so that nothing but the bias can change the loss.
enum class Trainable { all, bias_before_bn };

struct DataSpec {
    bool external = true;                 // "external": MNIST or any data copied in with set_data
    SyntheticKind kind = SyntheticKind::blobs;
    std::size_t train = 1000, test = 500;
    double noise = 0.1;
};

// Work limits, in multiply-adds (the cost that grows with a config): what keeps one call of the lab from
// holding its worker for long (docs/reliability.md). With W = the network's weights and U = the sum of
// sizes, one training step costs batch_size·(3·W + kActivationWork·U): the dense layers forward, then
// backward to the inputs and to the weights, and per unit and example the activation, BN and the loss
// (measured at up to ~180 multiply-adds' time in networks of many narrow BN layers; 100 keeps the page's
// own 250-step chunks within a call). One evaluation costs test_examples·W, a step(k) call k steps and an
// evaluation, a probe (1 + len(etas)) steps.
constexpr double kActivationWork = 100;     // multiply-adds a unit's activation, BN and loss cost, per example
constexpr double kMaxStepWork = 1e9;        // one training step: the config's batch_size × sizes
constexpr double kMaxEvaluationWork = 5e8;  // one evaluation: the config's test_examples × sizes
constexpr double kMaxCallWork = 1e10;       // one step(k) or probe call, all its steps together

struct Config {
    uint32_t seed = 1;
    NetworkShape shape;                   // sizes, activation, batchnorm, bn_* (sizes default below)
    double init_scale = 0.1;
    InitMode init_mode = InitMode::absolute;
    double learning_rate = 0.1;
    double momentum = 0;
    Trainable trainable = Trainable::all;
    std::size_t batch_size = 60;
    std::size_t test_examples = 1000;
    bool test_batch_statistics = false;   // also measure test accuracy with batch statistics (see docs/training.md)
    int monitor_layer = -1;               // resolved: index of a hidden layer, or −1 when there is none
    std::size_t monitor_unit = 0;
    DataSpec data;

    // The per-layer weight standard deviations this config asks for.
    std::vector<double> weight_std() const;

    // Multiply-adds of one training step and of one evaluation (see kMaxStepWork).
    double step_work() const;
    double evaluation_work() const;
};

// A bad field, e.g. {"sizes[2]", "expected a finite number > 0, got -1"}: the core's FieldError.
using ConfigError = FieldError;

// Reads a config from JSON (an object; absent fields take their defaults). Unknown fields are rejected
// too, so that a misspelt field is not silently ignored. Returns the error, or writes out.
std::optional<ConfigError> parse_config(const nlohmann::json& request, Config& out);

}  // namespace bnkata::training
