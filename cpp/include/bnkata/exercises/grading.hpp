// grading.hpp — how an answer becomes a verdict: tolerances, reading what the learner typed, comparing
// with the right answer and with known-wrong variants (to name the mistake), choices and formulas.
//
// Nothing here throws: a bad answer is a verdict ("invalid", with a message naming the field).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bnkata/exercises/expression.hpp"
#include "bnkata/text.hpp"

namespace bnkata::exercises {

using json = nlohmann::json;

enum class Verdict { correct, incorrect, not_attempted, invalid };
const char* verdict_name(Verdict verdict);  // "correct" | "incorrect" | "not_attempted" | "invalid"

// |got − want| ≤ absolute + relative·|want|, stated next to every verdict.
struct Tolerance {
    double relative = 1e-3;
    double absolute = 1e-3;
    std::string text;  // the sentence the learner reads, made from the two numbers

    Tolerance(double relative = 1e-3, double absolute = 1e-3);

    bool accepts(double got, double want) const;
    // Whether two candidate answers are far enough apart that no answer is accepted as both: only then
    // may a wrong answer be blamed on the mistake that produces the other one.
    bool distinguishes(double a, double b) const;
    json to_json() const;
};

// Numbers a learner computes by hand or with a calculator: 0.001 + 0.1 % of the right value.
Tolerance hand_tolerance();

// --- Mistakes ------------------------------------------------------------------------------------------
// The catalogue of named mistakes (ids are listed in docs/exercises.md).
struct Mistake {
    const char* id;
    const char* name;
    const char* explanation;
};
// The mistake with this id; an unknown id is a programming error and yields a generic entry.
const Mistake& find_mistake(std::string_view id);
json mistake_json(std::string_view id);

// --- Reading what the learner typed -----------------------------------------------------------------
struct Reading {
    enum class Status { empty, ok, bad };
    Status status = Status::empty;
    std::vector<double> values;
    std::string message;  // for Status::bad: what was wrong (without the field's name)
};
// A number: a JSON number, or a string holding a constant expression ("5/4", "−0.5"). value may be
// nullptr (field missing). Empty string / null / missing → empty.
Reading read_typed_number(const json* value);
// A vector of exactly `length` numbers: a JSON array (numbers or strings), or one string of numbers
// separated by commas, semicolons or spaces, brackets optional ("[1, 2, 3]", "1 2 3").
Reading read_typed_vector(const json* value, std::size_t length);

// --- Numeric and vector answers ----------------------------------------------------------------------
struct NumericField {
    std::string name;   // key in the answer object
    std::string label;  // what the page shows ("μ_B")
    std::vector<double> expected;
    bool is_vector = false;
};
// A known-wrong answer: the values (one vector per field, in field order) a named mistake produces.
struct Variant {
    std::string mistake;
    std::vector<std::vector<double>> values;
};
struct NumericGrading {
    std::vector<NumericField> fields;
    Tolerance tolerance;
    std::vector<Variant> variants;  // in order of priority when several match
};

// The verdict for a numeric answer, with per-field verdicts and the mistake named when the answer
// matches a variant that is distinguishable from the right answer at the tolerance.
json grade_numeric(const json& answer, const NumericGrading& grading);
// Whether every variant differs clearly from the right answer and from every other variant in at least
// one field (generators redraw their data until this holds, so that every listed mistake can be named,
// unambiguously).
bool all_variants_distinguishable(const NumericGrading& grading);
// The "fields" and "solution.answer" parts of an exercise, from the same description.
json fields_json(const std::vector<NumericField>& fields);
json answer_json(const std::vector<NumericField>& fields);

// --- Choices -------------------------------------------------------------------------------------------
struct Option {
    std::string id;
    std::string text;
    bool correct = false;
    std::string explanation;  // why it is right or wrong; shown after grading
};
json options_json(const std::vector<Option>& options);  // public part: id and text only
// answer {"choice":"b"} (multi = false) or {"choices":["a","c"]} (multi = true).
json grade_choice(const json& answer, const std::vector<Option>& options, bool multi);
// "Right. …" / "False. …": an option's explanation as the grader and the solution show it.
std::string option_explanation(const Option& o, bool multi);

// --- Formulas ------------------------------------------------------------------------------------------
using Formula = std::function<double(const Variables&)>;
struct FormulaGrading {
    std::string field;   // "xhat"
    std::string label;   // "x̂"
    Formula reference;
    std::vector<std::pair<std::string, Formula>> variants;  // mistake id → what that mistake computes
};
// The random points formulas are compared at (fixed, so every platform compares at the same points).
std::vector<Variables> formula_points();
// answer {field: "text"}: parsed, then evaluated against the reference at every point.
json grade_formula(const json& answer, const FormulaGrading& grading);

// --- Building responses --------------------------------------------------------------------------------
json verdict_json(Verdict verdict, const std::string& message, const std::string& tolerance_text,
                  json mistake = nullptr);

}  // namespace bnkata::exercises
