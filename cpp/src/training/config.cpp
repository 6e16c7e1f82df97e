// config.cpp — reading and validating a training config (see docs/training.md for the fields).
#include "bnkata/training/config.hpp"

#include "bnkata/json_fields.hpp"
#include "bnkata/text.hpp"

#include <cmath>
#include <set>

namespace bnkata::training {

namespace {

using nlohmann::json;

// The value a learner sent, quoted in a message: written so that it cannot throw, and cut short on a
// character boundary (a cut inside a UTF-8 sequence would make the whole answer invalid UTF-8).
std::string describe(const json& v) { return shorten(to_text(v), 40); }

ConfigError error(const std::string& field, const std::string& expected, const json* got) {
    return {field, got ? "expected " + expected + ", got " + describe(*got) : expected};
}

// Each reader: absent → keep the default; wrong type or out of range → an error naming the field.
std::optional<ConfigError> read_number(const json& obj, const char* name, const std::string& prefix, double& out,
                                       double lo, double hi, bool lo_open, const std::string& expected) {
    auto it = obj.find(name);
    if (it == obj.end()) return std::nullopt;
    if (!it->is_number()) return error(prefix + name, expected, &*it);
    const double v = it->get<double>();
    if (!std::isfinite(v) || v < lo || v > hi || (lo_open && v == lo)) return error(prefix + name, expected, &*it);
    out = v;
    return std::nullopt;
}

std::optional<ConfigError> read_count(const json& obj, const char* name, const std::string& prefix,
                                      std::size_t& out, std::size_t lo, std::size_t hi) {
    auto it = obj.find(name);
    if (it == obj.end()) return std::nullopt;
    const std::string expected = "an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
    if (!it->is_number_integer()) return error(prefix + name, expected, &*it);
    const double v = it->get<double>();
    if (v < static_cast<double>(lo) || v > static_cast<double>(hi)) return error(prefix + name, expected, &*it);
    out = static_cast<std::size_t>(v);
    return std::nullopt;
}

std::optional<ConfigError> read_choice(const json& obj, const char* name, const std::string& prefix,
                                       const std::vector<std::string>& choices, std::string& out) {
    auto it = obj.find(name);
    if (it == obj.end()) return std::nullopt;
    std::string expected = "one of";
    for (std::size_t i = 0; i < choices.size(); ++i) expected += (i ? ", \"" : " \"") + choices[i] + "\"";
    if (!it->is_string()) return error(prefix + name, expected, &*it);
    const std::string v = it->get<std::string>();
    for (const std::string& c : choices)
        if (c == v) {
            out = v;
            return std::nullopt;
        }
    return error(prefix + name, expected, &*it);
}

std::optional<ConfigError> reject_unknown(const json& obj, const std::set<std::string>& known, const std::string& prefix) {
    for (auto it = obj.begin(); it != obj.end(); ++it)
        if (!known.count(it.key())) return ConfigError{prefix + it.key(), "is not a known field (see docs/training.md)"};
    return std::nullopt;
}

// "norm" and "norm_groups": which normalization sits where "batchnorm" says (read after sizes and
// batchnorm, which they depend on).
std::optional<ConfigError> read_norm(const json& obj, NetworkShape& shape) {
    std::string kind = "batch";
    if (auto e = read_choice(obj, "norm", "", {"batch", "layer", "group"}, kind)) return e;
    shape.norm.kind = *kind_from_name(kind);
    if (shape.norm.kind != NormKind::batch && shape.batchnorm == BnPlacement::none)
        return ConfigError{"norm", "\"" + kind + "\" needs batchnorm \"before\" or \"after\" (where the layer goes)"};
    const bool has_groups = obj.contains("norm_groups");
    if (shape.norm.kind != NormKind::group) {
        if (has_groups) return ConfigError{"norm_groups", "is only for norm \"group\""};
        return std::nullopt;
    }
    if (!has_groups)
        return ConfigError{"norm_groups", "is required with norm \"group\": the number of groups, dividing every hidden layer's size"};
    if (auto e = read_count(obj, "norm_groups", "", shape.norm.groups, 1, 4096)) return e;
    for (std::size_t l = 1; l + 1 < shape.sizes.size(); ++l)
        if (shape.sizes[l] % shape.norm.groups != 0)
            return ConfigError{"norm_groups", "must divide every hidden layer's size; " + std::to_string(shape.norm.groups) +
                                                  " does not divide sizes[" + std::to_string(l) + "] = " +
                                                  std::to_string(shape.sizes[l])};
    return std::nullopt;
}

}  // namespace

std::vector<double> Config::weight_std() const {
    std::vector<double> stds;
    for (std::size_t l = 0; l + 1 < shape.sizes.size(); ++l)
        stds.push_back(init_mode == InitMode::absolute ? init_scale
                                                       : init_scale / std::sqrt(static_cast<double>(shape.sizes[l])));
    return stds;
}

namespace {
double weight_count(const NetworkShape& shape) {
    double weights = 0;
    for (std::size_t l = 0; l + 1 < shape.sizes.size(); ++l)
        weights += static_cast<double>(shape.sizes[l]) * static_cast<double>(shape.sizes[l + 1]);
    return weights;
}

// Work as messages give it: in millions of multiply-adds, rounded up.
std::string millions(double work) { return std::to_string(static_cast<long long>(std::ceil(work / 1e6))) + " million"; }
}  // namespace

double Config::step_work() const {
    double units = 0;
    for (std::size_t size : shape.sizes) units += static_cast<double>(size);
    return static_cast<double>(batch_size) * (3.0 * weight_count(shape) + kActivationWork * units);
}
double Config::evaluation_work() const { return static_cast<double>(test_examples) * weight_count(shape); }

std::optional<ConfigError> parse_config(const json& request, Config& out) {
    if (!request.is_object()) return error("config", "a JSON object", &request);
    static const std::set<std::string> known = {
        "seed", "sizes", "activation", "batchnorm", "norm", "norm_groups", "bn_eps", "bn_momentum", "bn_grad_through_stats",
        "init_scale", "init_mode", "learning_rate", "momentum", "trainable", "batch_size", "test_examples",
        "monitor_layer", "monitor_unit", "test_batch_statistics", "data"};
    if (auto e = reject_unknown(request, known, "")) return e;
    Config c;

    std::size_t seed = c.seed;
    if (auto e = read_count(request, "seed", "", seed, 0, 4294967295u)) return e;
    c.seed = static_cast<uint32_t>(seed);

    // Data first: synthetic sets change the default sizes.
    if (auto it = request.find("data"); it != request.end()) {
        if (!it->is_object()) return error("data", "an object such as {\"kind\": \"blobs\"}", &*it);
        if (auto e = reject_unknown(*it, {"kind", "train", "test", "noise"}, "data.")) return e;
        std::string kind = "external";
        if (auto e = read_choice(*it, "kind", "data.", {"external", "spiral", "circles", "blobs"}, kind)) return e;
        c.data.external = kind == "external";
        c.data.kind = kind == "spiral" ? SyntheticKind::spiral : kind == "circles" ? SyntheticKind::circles : SyntheticKind::blobs;
        if (auto e = read_count(*it, "train", "data.", c.data.train, 2, 100000)) return e;
        if (auto e = read_count(*it, "test", "data.", c.data.test, 1, 100000)) return e;
        if (auto e = read_number(*it, "noise", "data.", c.data.noise, 0, 10, false, "a number from 0 to 10")) return e;
    }
    c.shape.sizes = {784, 100, 100, 100, 10};
    if (!c.data.external) c.shape.sizes = {2, 32, 32, c.data.kind == SyntheticKind::circles ? 2u : 3u};

    if (auto it = request.find("sizes"); it != request.end()) {
        if (!it->is_array() || it->size() < 2 || it->size() > 33)
            return error("sizes", "an array of 2 to 33 layer sizes (input, hidden…, classes)", &*it);
        c.shape.sizes.clear();
        for (std::size_t i = 0; i < it->size(); ++i) {
            const json& v = (*it)[i];
            const std::size_t lo = i + 1 == it->size() ? 2 : 1;
            if (!v.is_number_integer() || v.get<double>() < static_cast<double>(lo) || v.get<double>() > 4096)
                return error("sizes[" + std::to_string(i) + "]",
                             "an integer from " + std::to_string(lo) + " to 4096" + (lo == 2 ? " (classes)" : ""), &v);
            c.shape.sizes.push_back(static_cast<std::size_t>(v.get<double>()));
        }
    }
    std::size_t weights = 0;
    for (std::size_t l = 0; l + 1 < c.shape.sizes.size(); ++l) weights += c.shape.sizes[l] * c.shape.sizes[l + 1];
    if (weights > 4000000) return error("sizes", "at most 4,000,000 weights in all, got " + std::to_string(weights), nullptr);

    std::string s = "sigmoid";
    if (auto e = read_choice(request, "activation", "", {"sigmoid", "tanh", "relu"}, s)) return e;
    c.shape.activation = s == "tanh" ? Activation::tanh : s == "relu" ? Activation::relu : Activation::sigmoid;
    s = "none";
    if (auto e = read_choice(request, "batchnorm", "", {"none", "before", "after"}, s)) return e;
    c.shape.batchnorm = s == "before" ? BnPlacement::before : s == "after" ? BnPlacement::after : BnPlacement::none;
    if (auto e = read_norm(request, c.shape)) return e;
    if (auto e = read_number(request, "bn_eps", "", c.shape.bn_eps, 0, 1, true, "a number > 0 and ≤ 1")) return e;
    if (auto e = read_number(request, "bn_momentum", "", c.shape.bn_momentum, 0, 1, true, "a number > 0 and ≤ 1")) return e;
    if (auto it = request.find("bn_grad_through_stats"); it != request.end()) {
        if (!it->is_boolean()) return error("bn_grad_through_stats", "true or false", &*it);
        c.shape.bn_grad_through_stats = it->get<bool>();
        if (!c.shape.bn_grad_through_stats && c.shape.norm.kind != NormKind::batch)
            return ConfigError{"bn_grad_through_stats", "false needs norm \"batch\" (the Ioffe §2 experiment is about "
                                                        "batch statistics)"};
    }

    if (auto e = read_number(request, "init_scale", "", c.init_scale, 0, 100, true, "a number > 0 and ≤ 100")) return e;
    s = "absolute";
    if (auto e = read_choice(request, "init_mode", "", {"absolute", "fan_in"}, s)) return e;
    c.init_mode = s == "fan_in" ? InitMode::fan_in : InitMode::absolute;
    if (auto e = read_number(request, "learning_rate", "", c.learning_rate, 0, 1000, true, "a number > 0 and ≤ 1000")) return e;
    if (auto e = read_number(request, "momentum", "", c.momentum, 0, 0.999, false, "a number from 0 to 0.999")) return e;
    s = "all";
    if (auto e = read_choice(request, "trainable", "", {"all", "bias_before_bn"}, s)) return e;
    c.trainable = s == "bias_before_bn" ? Trainable::bias_before_bn : Trainable::all;
    if (c.trainable == Trainable::bias_before_bn) {
        if (c.shape.batchnorm != BnPlacement::before || c.shape.norm.kind != NormKind::batch || c.shape.sizes.size() < 3)
            return ConfigError{"trainable", "\"bias_before_bn\" needs hidden layers with batchnorm \"before\" (the biases it "
                                            "trains sit right before a BN)"};
        c.shape.bias_before_bn = true;  // keep the bias that BN makes redundant: it is the one that trains
    }
    if (auto e = read_count(request, "batch_size", "", c.batch_size, 1, 4096)) return e;
    if (c.shape.batchnorm != BnPlacement::none && c.shape.norm.kind == NormKind::batch && c.batch_size < 2)
        return ConfigError{"batch_size", "must be at least 2 with batchnorm: a batch of one has no variance to normalise by"};
    if (auto e = read_count(request, "test_examples", "", c.test_examples, 1, 100000)) return e;
    if (auto it = request.find("test_batch_statistics"); it != request.end()) {
        if (!it->is_boolean()) return error("test_batch_statistics", "true or false", &*it);
        c.test_batch_statistics = it->get<bool>();
    }
    std::size_t units = 0;
    for (std::size_t size : c.shape.sizes) units += size;
    if (c.batch_size * units > 8000000)
        return ConfigError{"batch_size", "batch_size × the sum of sizes must be at most 8,000,000 (the activations "
                                         "of one batch), got " + std::to_string(c.batch_size * units)};
    if (c.step_work() > kMaxStepWork)
        return ConfigError{"batch_size", "one training step would take batch_size × (3 × the weights of sizes + " +
                                             std::to_string(static_cast<int>(kActivationWork)) + " × their sum) = " +
                                             millions(c.step_work()) + " multiply-adds; at most " +
                                             millions(kMaxStepWork) + " (lower batch_size or sizes)"};
    if (c.evaluation_work() > kMaxEvaluationWork)
        return ConfigError{"test_examples", "one evaluation would take test_examples × the weights of sizes = " +
                                                millions(c.evaluation_work()) + " multiply-adds; at most " +
                                                millions(kMaxEvaluationWork) + " (lower test_examples or sizes)"};
    if (!c.data.external && c.data.train < c.batch_size)
        return ConfigError{"data.train", "must be at least batch_size (" + std::to_string(c.batch_size) + ")"};
    if (!c.data.external && c.shape.sizes.front() != 2)
        return ConfigError{"sizes[0]", "must be 2: the synthetic data sets are 2-D"};
    if (!c.data.external && c.data.kind == SyntheticKind::circles && c.shape.sizes.back() != 2)
        return ConfigError{"sizes", "the last entry (classes) must be 2 for data.kind \"circles\""};

    // The monitored unit: a hidden layer (negative counts from the last) and a unit in it.
    const int hidden = static_cast<int>(c.shape.sizes.size()) - 2;
    double monitor = -1;
    if (auto e = read_number(request, "monitor_layer", "", monitor, -1e6, 1e6, false, "an integer")) return e;
    if (monitor != std::floor(monitor)) return error("monitor_layer", "an integer", &request["monitor_layer"]);
    const int layer = static_cast<int>(monitor);
    if (hidden == 0) {
        if (request.contains("monitor_layer")) return ConfigError{"monitor_layer", "this network has no hidden layer to monitor"};
        c.monitor_layer = -1;
    } else {
        if (layer < -hidden || layer >= hidden)
            return error("monitor_layer", "a hidden layer index from " + std::to_string(-hidden) + " to " +
                                              std::to_string(hidden - 1),
                         &request["monitor_layer"]);
        c.monitor_layer = layer < 0 ? hidden + layer : layer;
        if (auto e = read_count(request, "monitor_unit", "", c.monitor_unit, 0,
                                c.shape.sizes[static_cast<std::size_t>(c.monitor_layer) + 1] - 1))
            return e;
    }
    out = c;
    return std::nullopt;
}

}  // namespace bnkata::training
