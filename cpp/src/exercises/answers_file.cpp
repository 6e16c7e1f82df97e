// answers_file.cpp — validating an exported answers file and re-grading it (see answers_file.hpp).
#include "bnkata/exercises/answers_file.hpp"

#include <set>
#include <string>
#include <vector>

#include "bnkata/exercises/exercise.hpp"
#include "bnkata/exercises/grading.hpp"

namespace bnkata::exercises {

namespace {

json file_error(const std::string& field, const std::string& message) { return error_response({field, message}); }

// The longest string anywhere in the value, and the number of values (iteratively: no recursion on
// hostile nesting, although the parser already bounds the depth).
void measure(const json& root, std::size_t& longest_string, std::size_t& values) {
    std::vector<const json*> stack = {&root};
    while (!stack.empty()) {
        const json* v = stack.back();
        stack.pop_back();
        ++values;
        if (v->is_string()) longest_string = std::max(longest_string, v->get_ref<const std::string&>().size());
        if (v->is_object()) {
            for (auto it = v->begin(); it != v->end(); ++it) {
                longest_string = std::max(longest_string, it.key().size());
                stack.push_back(&it.value());
            }
        } else if (v->is_array()) {
            for (const json& e : *v) stack.push_back(&e);
        }
    }
}

std::string shown(const std::string& s) { return shorten(s, 40); }

}  // namespace

json check_answers(const json& file) {
    if (!file.is_object()) return file_error("file", "expected an exported answers file (a JSON object)");
    const auto format = file.find("format");
    if (format == file.end() || !format->is_string() || format->get<std::string>() != kAnswersFormat) {
        return file_error("format", std::string("this is not a BatchNorm Kata answers file (expected \"format\": \"") +
                                        kAnswersFormat + "\")");
    }
    const auto version = file.find("version");
    if (version == file.end() || !version->is_number_integer() || version->get<long long>() < 1)
        return file_error("version", "expected a version number (1)");
    if (version->get<long long>() > kAnswersVersion) {
        return file_error("version", "this file was made by a newer BatchNorm Kata (format version " +
                                         std::to_string(version->get<long long>()) + "); this one reads version " +
                                         std::to_string(kAnswersVersion));
    }
    std::size_t longest = 0, values = 0;
    measure(file, longest, values);
    if (longest > kMaxStringLength)
        return file_error("answers", "a string in the file is longer than " + std::to_string(kMaxStringLength) + " bytes");
    const auto answers = file.find("answers");
    if (answers == file.end() || !answers->is_object())
        return file_error("answers", "expected an object mapping exercise ids to answers");
    if (answers->size() > kMaxAnswers)
        return file_error("answers", "more than " + std::to_string(kMaxAnswers) + " answers; this is not an export of this lesson");

    std::uint64_t file_seed = 0;
    bool has_file_seed = false;
    if (const auto s = file.find("seed"); s != file.end()) {
        if (Problem p = read_seed(&*s, file_seed)) return error_response(*p);
        has_file_seed = true;
    }

    json results = json::array();
    json summary = {{"correct", 0}, {"incorrect", 0}, {"not_attempted", 0}, {"invalid", 0}};
    auto record = [&](json entry) {
        summary[entry["verdict"].get<std::string>()] = summary[entry["verdict"].get<std::string>()].get<int>() + 1;
        results.push_back(std::move(entry));
    };
    std::set<std::string> known;
    for (const ExerciseDefinition& d : catalog()) {
        known.insert(d.id);
        json entry = {{"id", d.id}, {"step", d.step}, {"title", d.title}, {"attempts", 0}, {"mistake", nullptr}};
        const auto a = answers->find(d.id);
        if (a == answers->end()) {
            entry["verdict"] = "not_attempted";
            entry["message"] = "No answer in the file.";
            record(entry);
            continue;
        }
        if (!a->is_object()) {
            entry["verdict"] = "invalid";
            entry["message"] = "the entry must be an object with seed, answer and attempts";
            record(entry);
            continue;
        }
        if (const auto k = a->find("attempts"); k != a->end()) {
            if (!k->is_number_integer() || k->get<long long>() < 0) {
                entry["verdict"] = "invalid";
                entry["message"] = "attempts: expected a whole number";
                record(entry);
                continue;
            }
            entry["attempts"] = *k;
        }
        std::uint64_t seed = file_seed;
        const auto s = a->find("seed");
        if (s != a->end() || !has_file_seed) {
            if (Problem p = read_seed(s == a->end() ? nullptr : &*s, seed)) {
                entry["verdict"] = "invalid";
                entry["message"] = "seed: " + p->message;
                record(entry);
                continue;
            }
        }
        entry["seed"] = seed;
        const auto answer = a->find("answer");
        if (answer != a->end() && !answer->is_object() && !answer->is_null()) {
            entry["verdict"] = "invalid";
            entry["message"] = "answer: expected an object of fields";
            record(entry);
            continue;
        }
        const json graded = grade_answer(d, seed, answer == a->end() || answer->is_null() ? json::object() : *answer);
        entry["verdict"] = graded["verdict"];
        entry["message"] = graded["message"];
        entry["mistake"] = graded["mistake"];
        entry["tolerance"] = graded["tolerance"];
        record(entry);
    }
    for (auto it = answers->begin(); it != answers->end(); ++it) {
        if (known.count(it.key())) continue;
        record({{"id", it.key()},
                {"verdict", "invalid"},
                {"message", "unknown exercise \"" + shown(it.key()) + "\" (from another version of the lesson?)"},
                {"mistake", nullptr}});
    }
    return {{"results", results}, {"summary", summary}};
}

json check_answers_op(const json& request) {
    const auto file = request.find("file");
    if (file == request.end()) return file_error("file", "missing; expected the exported answers file");
    return check_answers(*file);
}

}  // namespace bnkata::exercises
