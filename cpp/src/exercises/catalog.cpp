// catalog.cpp — every exercise in lesson order, and the JSON ops that list, generate and grade them.
#include <cmath>

#include "bnkata/exercises/exercise.hpp"
#include "bnkata/exercises/grading.hpp"

namespace bnkata::exercises {

namespace {
json error_value(const std::string& field, const std::string& message) {
    return {{"error", {{"field", field}, {"message", message}}}};
}

// Reads request["id"] into the exercise it names; on failure returns the error response.
const ExerciseDefinition* read_exercise(const json& request, json& error) {
    const auto it = request.find("id");
    if (it == request.end()) {
        error = error_value("id", "missing; expected an exercise id such as \"s1-mean-var\" (see exercise_catalog)");
        return nullptr;
    }
    if (!it->is_string()) {
        error = error_value("id", std::string("expected a string, got ") + it->type_name());
        return nullptr;
    }
    const std::string& id = it->get_ref<const std::string&>();
    const ExerciseDefinition* d = find_exercise(id);
    if (d == nullptr) {
        const std::string shown = shorten(id, 40);
        error = error_value("id", "unknown exercise \"" + shown + "\" (see exercise_catalog)");
    }
    return d;
}
}  // namespace

const std::vector<ExerciseDefinition>& catalog() {
    static const std::vector<ExerciseDefinition> all = [] {
        std::vector<ExerciseDefinition> list;
        for (auto step : {step1_exercises, step1_feature_map_exercises, step2_exercises, step3_exercises,
                          step4_exercises, step5_exercises}) {
            const auto some = step();
            list.insert(list.end(), some.begin(), some.end());
        }
        return list;
    }();
    return all;
}

const ExerciseDefinition* find_exercise(const std::string& id) {
    for (const ExerciseDefinition& d : catalog())
        if (id == d.id) return &d;
    return nullptr;
}

std::string read_seed(const json* value, std::uint64_t& seed) {
    const std::string expected = "expected an integer from 0 to 9007199254740991 (2^53 − 1)";
    if (value == nullptr) return "missing; " + expected;
    if (value->is_number_unsigned()) {
        seed = value->get<std::uint64_t>();
    } else if (value->is_number_integer()) {
        const std::int64_t signed_seed = value->get<std::int64_t>();
        if (signed_seed < 0) return expected + ", got " + std::to_string(signed_seed);
        seed = static_cast<std::uint64_t>(signed_seed);
    } else if (value->is_number_float()) {
        const double d = value->get<double>();
        if (!(d >= 0 && d <= static_cast<double>(kMaxSeed) && std::floor(d) == d)) return expected;
        seed = static_cast<std::uint64_t>(d);
    } else if (value->is_string()) {
        const std::string& s = value->get_ref<const std::string&>();
        if (s.empty() || s.size() > 16) return expected;
        seed = 0;
        for (char c : s) {
            if (c < '0' || c > '9') return expected;
            seed = seed * 10 + static_cast<std::uint64_t>(c - '0');
        }
    } else {
        return expected + std::string(", got ") + value->type_name();
    }
    if (seed > kMaxSeed) return expected;
    return "";
}

json exercise_json(const ExerciseDefinition& d, std::uint64_t seed) {
    json out = {{"id", d.id}, {"step", d.step}, {"title", d.title}, {"kind", d.kind}, {"seed", seed}};
    const Generated g = d.generate(seed);
    for (auto it = g.exercise.begin(); it != g.exercise.end(); ++it) out[it.key()] = it.value();
    return out;
}

json grade_answer(const ExerciseDefinition& d, std::uint64_t seed, const json& answer) {
    json result = d.generate(seed).grade(answer);
    result["id"] = d.id;
    result["seed"] = seed;
    return result;
}

json exercise_catalog_op(const json&) {
    json list = json::array();
    for (const ExerciseDefinition& d : catalog())
        list.push_back({{"id", d.id}, {"step", d.step}, {"title", d.title}, {"kind", d.kind}});
    return {{"exercises", list}};
}

json exercise_op(const json& request) {
    json error;
    const ExerciseDefinition* d = read_exercise(request, error);
    if (d == nullptr) return error;
    std::uint64_t seed = 0;
    const auto it = request.find("seed");
    const std::string problem = read_seed(it == request.end() ? nullptr : &*it, seed);
    if (!problem.empty()) return error_value("seed", problem);
    return exercise_json(*d, seed);
}

json grade_op(const json& request) {
    json error;
    const ExerciseDefinition* d = read_exercise(request, error);
    if (d == nullptr) return error;
    std::uint64_t seed = 0;
    const auto seed_field = request.find("seed");
    const std::string problem = read_seed(seed_field == request.end() ? nullptr : &*seed_field, seed);
    if (!problem.empty()) return error_value("seed", problem);
    const auto answer = request.find("answer");
    // A missing answer is simply not attempted yet; a non-object answer is the page's bug, said plainly.
    const json empty = json::object();
    if (answer != request.end() && !answer->is_object() && !answer->is_null())
        return error_value("answer", std::string("expected an object of fields, got ") + answer->type_name());
    return grade_answer(*d, seed, answer == request.end() || answer->is_null() ? empty : *answer);
}

}  // namespace bnkata::exercises
