// catalog.cpp — every exercise in lesson order, and the JSON ops that list, generate and grade them.
#include <cmath>

#include "bnkata/exercises/exercise.hpp"
#include "bnkata/exercises/grading.hpp"
#include "bnkata/exercises/option_order.hpp"

namespace bnkata::exercises {

namespace {
// Reads request["id"] into the exercise it names.
Problem read_exercise(const json& request, const ExerciseDefinition*& exercise) {
    const auto it = request.find("id");
    if (it == request.end())
        return FieldError{"id", "missing; expected an exercise id such as \"s1-mean-var\" (see exercise_catalog)"};
    if (!it->is_string()) return FieldError{"id", std::string("expected a string, got ") + it->type_name()};
    const std::string& id = it->get_ref<const std::string&>();
    exercise = find_exercise(id);
    if (exercise == nullptr) return FieldError{"id", "unknown exercise \"" + shorten(id, 40) + "\" (see exercise_catalog)"};
    return std::nullopt;
}

// Reads request["seed"].
Problem read_request_seed(const json& request, std::uint64_t& seed) {
    const auto it = request.find("seed");
    return read_seed(it == request.end() ? nullptr : &*it, seed);
}
}  // namespace

const std::vector<ExerciseDefinition>& catalog() {
    static const std::vector<ExerciseDefinition> all = [] {
        std::vector<ExerciseDefinition> list;
        for (auto step : {step1_exercises, step1_feature_map_exercises, step2_exercises, step3_exercises,
                          step3_backward_exercises, step4_exercises, step4_train_eval_exercises, step5_exercises}) {
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

Problem read_seed(const json* value, std::uint64_t& seed) {
    const std::string expected = "expected an integer from 0 to 9007199254740991 (2^53 − 1)";
    const auto wrong = [](std::string message) { return FieldError{"seed", std::move(message)}; };
    if (value == nullptr) return wrong("missing; " + expected);
    if (value->is_number_unsigned()) {
        seed = value->get<std::uint64_t>();
    } else if (value->is_number_integer()) {
        const std::int64_t signed_seed = value->get<std::int64_t>();
        if (signed_seed < 0) return wrong(expected + ", got " + std::to_string(signed_seed));
        seed = static_cast<std::uint64_t>(signed_seed);
    } else if (value->is_number_float()) {
        const double d = value->get<double>();
        if (!(d >= 0 && d <= static_cast<double>(kMaxSeed) && std::floor(d) == d)) return wrong(expected);
        seed = static_cast<std::uint64_t>(d);
    } else if (value->is_string()) {
        const std::string& s = value->get_ref<const std::string&>();
        if (s.empty() || s.size() > 16) return wrong(expected);
        seed = 0;
        for (char c : s) {
            if (c < '0' || c > '9') return wrong(expected);
            seed = seed * 10 + static_cast<std::uint64_t>(c - '0');
        }
    } else {
        return wrong(expected + std::string(", got ") + value->type_name());
    }
    if (seed > kMaxSeed) return wrong(expected);
    return std::nullopt;
}

json exercise_json(const ExerciseDefinition& d, std::uint64_t seed) {
    json out = {{"id", d.id}, {"step", d.step}, {"title", d.title}, {"kind", d.kind}, {"core", d.core}, {"seed", seed}};
    const Generated g = d.generate(seed);
    const json shown = show_options(g.exercise, option_order(d.id, seed, g.exercise.value("options", json())));
    for (auto it = shown.begin(); it != shown.end(); ++it) out[it.key()] = it.value();
    return out;
}

json grade_answer(const ExerciseDefinition& d, std::uint64_t seed, const json& answer) {
    const Generated g = d.generate(seed);
    const OptionOrder order = option_order(d.id, seed, g.exercise.value("options", json()));
    json result = verdict_to_shown(g.grade(answer_to_written(answer, order)), order);
    result["id"] = d.id;
    result["seed"] = seed;
    return result;
}

json exercise_catalog_op(const json&) {
    json list = json::array();
    for (const ExerciseDefinition& d : catalog())
        list.push_back({{"id", d.id}, {"step", d.step}, {"title", d.title}, {"kind", d.kind}, {"core", d.core}});
    return {{"exercises", list}};
}

json exercise_op(const json& request) {
    const ExerciseDefinition* d = nullptr;
    if (Problem p = read_exercise(request, d)) return error_response(*p);
    std::uint64_t seed = 0;
    if (Problem p = read_request_seed(request, seed)) return error_response(*p);
    return exercise_json(*d, seed);
}

json grade_op(const json& request) {
    const ExerciseDefinition* d = nullptr;
    if (Problem p = read_exercise(request, d)) return error_response(*p);
    std::uint64_t seed = 0;
    if (Problem p = read_request_seed(request, seed)) return error_response(*p);
    const auto answer = request.find("answer");
    // A missing answer is simply not attempted yet; a non-object answer is the page's bug, said plainly.
    const json empty = json::object();
    if (answer != request.end() && !answer->is_object() && !answer->is_null())
        return error_response({"answer", std::string("expected an object of fields, got ") + answer->type_name()});
    return grade_answer(*d, seed, answer == request.end() || answer->is_null() ? empty : *answer);
}

}  // namespace bnkata::exercises
