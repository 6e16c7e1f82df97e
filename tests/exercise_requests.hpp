// exercise_requests.hpp — the exercise tests' requests, sent through the one public entry point
// (bnkata::compute), exactly as the page and the CLI send them.
#pragma once

#include <cstdint>
#include <string>

#include "bnkata/compute.hpp"

namespace exercise_requests {
using nlohmann::json;

inline json call(const json& request) { return bnkata::compute(request); }
inline json exercise(const std::string& id, std::uint64_t seed) {
    return call({{"op", "exercise"}, {"id", id}, {"seed", seed}});
}
inline json grade(const std::string& id, std::uint64_t seed, const json& answer) {
    return call({{"op", "grade"}, {"id", id}, {"seed", seed}, {"answer", answer}});
}
// The id of the mistake a verdict names, or "none".
inline std::string mistake_of(const json& g) {
    return g["mistake"].is_null() ? std::string("none") : g["mistake"]["id"].get<std::string>();
}
}  // namespace exercise_requests
