// lab.hpp — the training lab's JSON face: what the WASM bindings and `bnkata train` call.
//
// Every method takes and returns JSON text and never throws: its result, or the core's error value
// {"error": {"field": …, "message": …}} (docs/training.md has the exact shapes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "bnkata/training/session.hpp"

namespace bnkata::training {

class Lab {
public:
    // Parses and validates the config, then builds the network (and synthetic data). Data already set
    // is kept when the input size and the number of classes are unchanged.
    std::string configure(const std::string& config_json);

    // Copies one split in. split is "train" or "test"; images holds count·sizes[0] values (already
    // scaled), labels count integers.
    std::string set_data(const std::string& split, const float* images, std::size_t values, const int32_t* labels,
                         std::size_t count);

    // The same with pixels 0..255, scaled to [0, 1] as mnist::scale_pixel does.
    std::string set_data_u8(const std::string& split, const std::uint8_t* pixels, std::size_t values,
                            const int32_t* labels, std::size_t count);

    // Sets both splits from the MNIST asset's bytes (bnkata/training/mnist.hpp has the layout).
    nlohmann::json load_mnist_bytes(const std::uint8_t* bytes, std::size_t size);

    // Trains k steps (1 ≤ k ≤ 100000) and returns the metrics.
    std::string step(double k);

    // {"etas": [...]} → the probe's result.
    std::string probe(const std::string& request_json);

    // The same, as JSON values (for the CLI and the tests).
    nlohmann::json configure_json(const nlohmann::json& config);
    nlohmann::json step_json(double k);
    nlohmann::json probe_json(const nlohmann::json& request);

    Session* session() { return session_.get(); }

private:
    nlohmann::json adopt(const std::string& split, std::shared_ptr<Dataset> data);

    std::unique_ptr<Session> session_;
    std::shared_ptr<const Dataset> kept_train_, kept_test_;  // set through set_data, re-used after a new configure
};

nlohmann::json step_report_json(const StepReport& report, const Config& config);
nlohmann::json probe_result_json(const ProbeResult& result, std::size_t step);

}  // namespace bnkata::training
