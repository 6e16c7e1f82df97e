// fixtures.hpp — the numpy reference cases (tests/fixtures/batchnorm_cases.json, made by generate.py).
#pragma once

#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <vector>

namespace bnkata_test {

// The whole fixture file, read once. BNKATA_FIXTURES_DIR is set by cpp/core.cmake.
inline const nlohmann::json& fixtures() {
    static const nlohmann::json data = [] {
        std::ifstream in(std::string(BNKATA_FIXTURES_DIR) + "/batchnorm_cases.json");
        return nlohmann::json::parse(in);  // a test may throw: doctest reports it as a failure
    }();
    return data;
}

inline std::vector<double> numbers(const nlohmann::json& value) { return value.get<std::vector<double>>(); }

}  // namespace bnkata_test
