// lab.cpp — JSON in, JSON out, no exceptions (see the header).
#include "bnkata/training/lab.hpp"

#include <cmath>

#include "bnkata/dispatch.hpp"
#include "bnkata/json_fields.hpp"
#include "bnkata/text.hpp"
#include "bnkata/training/mnist.hpp"

namespace bnkata::training {

using nlohmann::json;

namespace {

// JSON has no NaN or infinity: a non-finite number becomes null.
json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
}  // namespace

json step_report_json(const StepReport& r, const Config& config) {
    json out = {{"step", r.step}};
    json losses = json::array();
    double sum = 0;
    for (double l : r.batch_losses) {
        losses.push_back(number(l));
        sum += l;
    }
    out["batch_losses"] = losses;
    out["loss"] = r.batch_losses.empty() ? json(nullptr) : number(sum / static_cast<double>(r.batch_losses.size()));
    if (r.has_test) {
        out["test"] = {{"accuracy", number(r.test.accuracy)}, {"loss", number(r.test.loss)}, {"examples", r.test.examples}};
        if (config.test_batch_statistics)
            out["test"]["batch_statistics"] = {{"accuracy", number(r.test_batch_statistics.accuracy)},
                                               {"loss", number(r.test_batch_statistics.loss)},
                                               {"examples", r.test_batch_statistics.examples}};
        if (config.monitor_layer >= 0)
            out["monitor"] = {{"layer", config.monitor_layer}, {"unit", config.monitor_unit},
                              {"p15", number(r.test.p15)}, {"p50", number(r.test.p50)}, {"p85", number(r.test.p85)}};
        else
            out["monitor"] = nullptr;
    } else {
        out["test"] = nullptr;
        out["monitor"] = nullptr;
    }
    json layers = json::array();
    for (const LayerStatistics& s : r.layers)
        layers.push_back({{"preactivation_mean", number(s.preactivation.mean)},
                          {"preactivation_std", number(s.preactivation.std)},
                          {"activation_mean", number(s.activation.mean)},
                          {"activation_std", number(s.activation.std)},
                          {"weight_norm", number(s.weight_norm)},
                          {"bias_norm", s.has_bias ? number(s.bias_norm) : json(nullptr)},
                          {"weight_grad_norm", number(s.weight_grad_norm)},
                          {"output_grad_norm", number(s.output_grad_norm)}});
    out["layers"] = layers;
    out["diverged"] = r.diverged ? json{{"step", r.diverged->step}, {"quantity", r.diverged->quantity}} : json(nullptr);
    return out;
}

json probe_result_json(const ProbeResult& r, std::size_t step) {
    json losses = json::array(), differences = json::array();
    for (double v : r.losses) losses.push_back(number(v));
    for (double v : r.gradient_differences) differences.push_back(number(v));
    return {{"step", step},
            {"etas", r.etas},
            {"losses", losses},
            {"gradient_differences", differences},
            {"loss", number(r.loss)},
            {"gradient_norm", number(r.gradient_norm)},
            {"loss_range", {number(r.loss_min), number(r.loss_max)}},
            {"predictiveness_range", {number(r.predictiveness_min), number(r.predictiveness_max)}},
            {"beta_smoothness", number(r.beta_smoothness)}};
}

json Lab::configure_json(const json& request) {
    Config config;
    if (auto e = parse_config(request, config)) return error_response(*e);
    const std::size_t old_inputs = session_ ? session_->config().shape.sizes.front() : 0;
    const std::size_t old_classes = session_ ? session_->network().classes() : 0;
    session_ = std::make_unique<Session>(config);
    // Keep external data across configures when it still fits (the page sets MNIST once per handle).
    const bool fits = config.data.external && old_inputs == config.shape.sizes.front() &&
                      old_classes == config.shape.sizes.back();
    if (!fits) kept_train_ = kept_test_ = nullptr;
    if (kept_train_)
        if (auto e = session_->set_data(Split::train, kept_train_)) return error_response(*e);
    if (kept_test_)
        if (auto e = session_->set_data(Split::test, kept_test_)) return error_response(*e);
    return {{"parameters", session_->network().parameter_count()},
            {"sizes", config.shape.sizes},
            {"has_data", kept_train_ != nullptr || !config.data.external}};
}

std::string Lab::configure(const std::string& text) {
    // Text from outside is read like the dispatcher's requests: bounded in size, depth and values.
    json request;
    if (Problem problem = parse_json_text(text, request, "config")) return to_text(error_response(*problem));
    return to_text(configure_json(request));
}

// Checks the lab can take data for split, then hands data to the session and keeps it.
json Lab::adopt(const std::string& split, std::shared_ptr<Dataset> data) {
    if (!session_) return error_response({"config", "call configure(config) first"});
    if (split != "train" && split != "test") return error_response({"split", "expected \"train\" or \"test\", got \"" + shorten(split, 40) + "\""});
    if (!session_->config().data.external)
        return error_response({"data.kind", "this config makes its own synthetic data; use {\"kind\": \"external\"} to set data"});
    for (std::size_t i = 0; i < data->x.size(); ++i)
        if (!std::isfinite(data->x[i])) return error_response({"images", "expected finite values, got a non-finite value at index " + std::to_string(i)});
    const Split which = split == "train" ? Split::train : Split::test;
    data->features = session_->config().shape.sizes.front();
    if (auto e = session_->set_data(which, data)) return error_response(*e);
    (which == Split::train ? kept_train_ : kept_test_) = data;
    return {{"split", split}, {"examples", data->count}};
}

std::string Lab::set_data(const std::string& split, const float* images, std::size_t values, const int32_t* labels,
                          std::size_t count) {
    auto data = std::make_shared<Dataset>();
    data->count = count;
    data->x.assign(images, images + values);
    data->labels.assign(labels, labels + count);
    return to_text(adopt(split, std::move(data)));
}

std::string Lab::set_data_u8(const std::string& split, const std::uint8_t* pixels, std::size_t values,
                             const int32_t* labels, std::size_t count) {
    auto data = std::make_shared<Dataset>();
    data->count = count;
    data->x.resize(values);
    for (std::size_t i = 0; i < values; ++i) data->x[i] = mnist::scale_pixel(pixels[i]);
    data->labels.assign(labels, labels + count);
    return to_text(adopt(split, std::move(data)));
}

json Lab::load_mnist_bytes(const std::uint8_t* bytes, std::size_t size) {
    std::shared_ptr<Dataset> train, test;
    if (Problem p = mnist::datasets_from_bytes(bytes, size, train, test)) return error_response(*p);
    json train_answer = adopt("train", train);
    if (train_answer.contains("error")) return train_answer;
    json test_answer = adopt("test", test);
    if (test_answer.contains("error")) return test_answer;
    return {{"train", train_answer["examples"]}, {"test", test_answer["examples"]}};
}

json Lab::step_json(double k) {
    if (!session_) return error_response({"config", "call configure(config) first"});
    if (!(k >= 1 && k <= 100000) || k != std::floor(k)) return error_response({"k", "expected an integer from 1 to 100000"});
    // The work budget of one call (config.hpp): k steps of this config, and the evaluation after them.
    const Config& config = session_->config();
    const double most = std::floor((kMaxCallWork - config.evaluation_work()) / config.step_work());
    if (k > most)
        return error_response({"k", "at most " + std::to_string(static_cast<long long>(most)) +
                                        " steps per call for this config's batch_size and sizes (each step takes " +
                                        std::to_string(static_cast<long long>(std::ceil(config.step_work() / 1e6))) +
                                        " million multiply-adds; a call at most " +
                                        std::to_string(static_cast<long long>(kMaxCallWork / 1e6)) + " million)"});
    StepReport report;
    if (auto e = session_->step(static_cast<std::size_t>(k), report)) return error_response(*e);
    return step_report_json(report, session_->config());
}

std::string Lab::step(double k) { return to_text(step_json(k)); }

json Lab::probe_json(const json& request) {
    if (!session_) return error_response({"config", "call configure(config) first"});
    const auto it = request.is_object() ? request.find("etas") : request.end();
    if (!request.is_object() || it == request.end() || !it->is_array() || it->empty() || it->size() > 64)
        return error_response({"etas", "expected an array of 1 to 64 step sizes"});
    // A probe computes the gradient once, then once per step size: 1 + len(etas) steps of work.
    const double work = static_cast<double>(it->size() + 1) * session_->config().step_work();
    if (work > kMaxCallWork)
        return error_response({"etas", "at most " +
                                           std::to_string(static_cast<long long>(kMaxCallWork / session_->config().step_work()) - 1) +
                                           " step sizes for this config's batch_size and sizes (each costs one training step's work)"});
    std::vector<double> etas;
    for (const json& v : *it) {
        if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() <= 0)
            return error_response({"etas", "expected step sizes > 0, got " + shorten(to_text(v), 40)});
        etas.push_back(v.get<double>());
    }
    ProbeResult result;
    if (auto e = session_->probe(etas, result)) return error_response(*e);
    return probe_result_json(result, session_->steps_done());
}

std::string Lab::probe(const std::string& text) {
    json request;
    if (Problem problem = parse_json_text(text, request, "etas")) return to_text(error_response(*problem));
    return to_text(probe_json(request));
}

}  // namespace bnkata::training
