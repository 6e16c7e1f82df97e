// authoring.hpp — the small vocabulary the step files write their exercises in: drawing numbers a
// learner can work with by hand, formatting them for prompts, and assembling the exercise JSON for
// the common kinds (numeric, choice) from one description, so the fields, the solution and the grader
// can never disagree.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "bnkata/exercises/exercise.hpp"
#include "bnkata/exercises/grading.hpp"
#include "bnkata/exercises/rng.hpp"

namespace bnkata::exercises {

// n integers drawn uniformly from [lo, hi]. Mutates rng.
std::vector<double> draw_integers(Rng& rng, std::size_t n, long long lo, long long hi);
// n numbers with one decimal, k/10 for k drawn from [lo_tenths, hi_tenths]. Mutates rng.
std::vector<double> draw_tenths(Rng& rng, std::size_t n, long long lo_tenths, long long hi_tenths);
// One of the given values. Mutates rng.
double draw_one_of(Rng& rng, const std::vector<double>& values);

// A number as a prompt shows it: up to `digits` significant digits, no trailing zeros, Unicode minus.
std::string show(double value, int digits = 6);
// "[1, 2, 3]".
std::string show(const std::vector<double>& values, int digits = 6);

// A numeric (or vector) exercise: the fields, solution answer and tolerance all come from `grading`.
Generated numeric_exercise(const std::string& prompt, json data, const NumericGrading& grading,
                           std::vector<std::string> hints, const std::string& explanation);

// A choice (multi = false) or multi-select exercise; the solution lists the correct option ids.
Generated choice_exercise(const std::string& prompt, json data, const std::vector<Option>& options, bool multi,
                          std::vector<std::string> hints, const std::string& explanation);

// A code exercise: the learner writes `name(params…)` in the page's editor, starting from `starter`; the
// page runs it on `cases` in its sandboxed Worker and sends the results back as the one field "outputs",
// which `grade` judges. The reference solution is `solution_code`.
struct CodeFunction {
    std::string name;
    std::vector<std::string> params;
    std::vector<std::string> returns;
    // Arguments the function changes in place, and their fields the page reads back after each call
    // ({"state", {"running_mean", "running_var"}}); sent with the results as {"state":{…}}.
    std::vector<std::pair<std::string, std::vector<std::string>>> updates = {};
};
Generated code_exercise(const std::string& prompt, const CodeFunction& function, const std::string& starter,
                        json cases, std::vector<std::string> hints, const std::string& solution_code,
                        const std::string& explanation, json tolerance,
                        std::function<json(const json& answer)> grade);

// Statements for a multi-select exercise: `shown` of them, between min_true and (shown − 1) true ones (as
// many as the pools allow), the count drawn so that it differs from seed to seed; lettered a, b, c… in pool
// order (option_order.hpp shuffles them when shown). Mutates rng.
std::vector<Option> draw_statements(Rng& rng, std::vector<Option> truths, std::vector<Option> falsehoods,
                                    std::size_t shown, std::size_t min_true);

// Draws data with make(rng) until every variant is distinguishable from the right answer (at most 200
// tries, so a generator with a bug cannot loop for ever; the last draw is used then). Mutates rng.
template <typename Make>
auto draw_until_distinguishable(Rng& rng, Make make) {
    auto candidate = make(rng);
    for (int tries = 1; tries < 200 && !all_variants_distinguishable(candidate.grading); ++tries) candidate = make(rng);
    return candidate;
}

}  // namespace bnkata::exercises
