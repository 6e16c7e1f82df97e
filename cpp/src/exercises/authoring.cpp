// authoring.cpp — drawing, formatting and assembling exercises (see authoring.hpp).
#include "bnkata/exercises/authoring.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bnkata::exercises {

std::vector<double> draw_integers(Rng& rng, std::size_t n, long long lo, long long hi) {
    std::vector<double> out(n);
    for (double& v : out) v = static_cast<double>(rng.integer(lo, hi));
    return out;
}

std::vector<double> draw_tenths(Rng& rng, std::size_t n, long long lo_tenths, long long hi_tenths) {
    std::vector<double> out(n);
    // k / 10 is the double nearest to the decimal k/10 (one correctly rounded division), as JSON writes it.
    for (double& v : out) v = static_cast<double>(rng.integer(lo_tenths, hi_tenths)) / 10.0;
    return out;
}

double draw_one_of(Rng& rng, const std::vector<double>& values) {
    return values[static_cast<std::size_t>(rng.integer(0, static_cast<long long>(values.size()) - 1))];
}

std::string show(double value, int digits) {
    if (value == 0) value = 0;  // no "-0"
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.*g", digits, value);
    std::string s = buf;
    if (!s.empty() && s[0] == '-') s = "\u2212" + s.substr(1);
    return s;
}

std::string show(const std::vector<double>& values, int digits) {
    std::string s = "[";
    for (std::size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + show(values[i], digits);
    return s + "]";
}

namespace {
// Moves k elements drawn without replacement to the front of `items` (a partial Fisher–Yates).
template <typename T>
void draw_to_front(Rng& rng, std::vector<T>& items, std::size_t k) {
    for (std::size_t i = 0; i < k && i + 1 < items.size(); ++i)
        std::swap(items[i], items[static_cast<std::size_t>(rng.integer(static_cast<long long>(i), static_cast<long long>(items.size()) - 1))]);
}
}  // namespace

std::vector<Option> draw_statements(Rng& rng, std::vector<Option> truths, std::vector<Option> falsehoods,
                                    std::size_t shown, std::size_t min_true) {
    const std::size_t most = std::min(truths.size(), shown - 1);
    const std::size_t least = std::max(min_true, shown > falsehoods.size() ? shown - falsehoods.size() : std::size_t{1});
    const std::size_t n_true =
        static_cast<std::size_t>(rng.integer(static_cast<long long>(std::min(least, most)), static_cast<long long>(most)));
    draw_to_front(rng, truths, n_true);
    draw_to_front(rng, falsehoods, shown - n_true);
    std::vector<Option> out(truths.begin(), truths.begin() + static_cast<std::ptrdiff_t>(n_true));
    out.insert(out.end(), falsehoods.begin(), falsehoods.begin() + static_cast<std::ptrdiff_t>(shown - n_true));
    for (std::size_t i = 0; i < out.size(); ++i) out[i].id = std::string(1, static_cast<char>('a' + i));
    return out;
}

Generated numeric_exercise(const std::string& prompt, json data, const NumericGrading& grading,
                           std::vector<std::string> hints, const std::string& explanation) {
    Generated g;
    g.exercise = {{"prompt", prompt},
                  {"data", std::move(data)},
                  {"fields", fields_json(grading.fields)},
                  {"hints", std::move(hints)},
                  {"solution", {{"answer", answer_json(grading.fields)}, {"explanation", explanation}}},
                  {"tolerance", grading.tolerance.to_json()}};
    g.grade = [grading](const json& answer) { return grade_numeric(answer, grading); };
    return g;
}

Generated code_exercise(const std::string& prompt, const CodeFunction& function, const std::string& starter,
                        json cases, std::vector<std::string> hints, const std::string& solution_code,
                        const std::string& explanation, json tolerance,
                        std::function<json(const json& answer)> grade) {
    json signature = {{"name", function.name}, {"params", function.params}, {"returns", function.returns}};
    for (const auto& [argument, fields] : function.updates) signature["updates"][argument] = fields;
    Generated g;
    g.exercise = {{"prompt", prompt},
                  {"data", json::object()},
                  {"function", signature},
                  {"starter", starter},
                  {"cases", std::move(cases)},
                  {"fields", json::array({{{"name", "outputs"}, {"label", "Your function's results, one per case"}, {"type", "code"}}})},
                  {"hints", std::move(hints)},
                  {"solution", {{"answer", {{"code", solution_code}}}, {"explanation", explanation}}},
                  {"tolerance", std::move(tolerance)}};
    g.grade = std::move(grade);
    return g;
}

Generated choice_exercise(const std::string& prompt, json data, const std::vector<Option>& options, bool multi,
                          std::vector<std::string> hints, const std::string& explanation) {
    json correct = json::array();
    json explained = json::object();
    for (const Option& o : options) {
        if (o.correct) correct.push_back(o.id);
        explained[o.id] = option_explanation(o, multi);
    }
    Generated g;
    g.exercise = {{"prompt", prompt},
                  {"data", std::move(data)},
                  {"fields", json::array({multi ? json{{"name", "choices"}, {"label", "Select every true statement"}, {"type", "choices"}}
                                                : json{{"name", "choice"}, {"label", "Your choice"}, {"type", "choice"}}})},
                  {"options", options_json(options)},
                  {"hints", std::move(hints)},
                  {"solution", {{"answer", multi ? json{{"choices", correct}} : json{{"choice", correct.at(0)}}},
                                {"explanation", explanation},
                                {"options", explained}}},
                  {"tolerance", {{"text", multi ? "select every true statement" : "one choice"}}}};
    g.grade = [options, multi](const json& answer) { return grade_choice(answer, options, multi); };
    return g;
}

}  // namespace bnkata::exercises
