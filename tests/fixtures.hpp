// fixtures.hpp — what the core's doctest suites share: the reference fixture files (NumPy, PyTorch; made
// by tests/fixtures/generate*.py), nested JSON arrays flattened for comparison, the moments the kata
// defines BN by, and asking the JSON interface as the CLI and the page do.
#pragma once

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "bnkata/batchnorm.hpp"
#include "bnkata/compute.hpp"

namespace bnkata_test {

// A fixture file of tests/fixtures, read once. BNKATA_FIXTURES_DIR is set by cpp/core.cmake.
inline const nlohmann::json& fixture_file(const std::string& name) {
    static std::map<std::string, nlohmann::json> loaded;
    const auto found = loaded.find(name);
    if (found != loaded.end()) return found->second;
    std::ifstream in(std::string(BNKATA_FIXTURES_DIR) + "/" + name);
    return loaded[name] = nlohmann::json::parse(in);  // a test may throw: doctest reports it as a failure
}

// The batch-norm cases (generate.py).
inline const nlohmann::json& fixtures() { return fixture_file("batchnorm_cases.json"); }

inline std::vector<double> numbers(const nlohmann::json& value) { return value.get<std::vector<double>>(); }

// A nested array of numbers (any depth), flattened in order.
inline void flatten(const nlohmann::json& value, std::vector<double>& out) {
    if (value.is_array())
        for (const auto& v : value) flatten(v, out);
    else
        out.push_back(value.get<double>());
}
inline std::vector<double> flat(const nlohmann::json& value) {
    std::vector<double> out;
    flatten(value, out);
    return out;
}

// The layout of a fixture's shape: [N], [N, C] or [N, C, H, W].
inline bnkata::Layout layout_of(const nlohmann::json& shape) {
    const auto s = shape.get<std::vector<std::size_t>>();
    return bnkata::Layout{s[0], s.size() >= 2 ? s[1] : 1, s.size() == 4 ? s[2] * s[3] : 1};
}

// The mean and the biased variance (divided by the count, as BN's normalisation uses) of some values.
inline double mean_of(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return s / static_cast<double>(v.size());
}
inline double biased_var_of(const std::vector<double>& v) {
    const double m = mean_of(v);
    double s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return s / static_cast<double>(v.size());
}

// The response to request text, as the CLI and the page get it (through the string entry point).
inline nlohmann::json ask_text(const std::string& text) { return nlohmann::json::parse(bnkata::compute(text)); }
inline nlohmann::json ask(const nlohmann::json& request) { return ask_text(request.dump()); }

}  // namespace bnkata_test
