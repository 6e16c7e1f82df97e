// code_grading.hpp — grading the learner's own code, run by the page on hidden cases.
//
// The page runs the learner's JavaScript in a sandboxed Worker on every case and submits what came back,
// one entry per case: {"y":[…],"mean":…,"var":…} (forward), {"dx":[…],"dgamma":…,"dbeta":…} (backward),
// {"error":"message"} when it threw, {"timeout":true} when it ran out of time. NaN arrives as null (what
// JSON.stringify makes of it). The verdict is a test runner's: every case passed or failed, and the first
// failure reported with its input, expected, got, and a per-stage trace.
#pragma once

#include <string>
#include <vector>

#include "bnkata/exercises/grading.hpp"
#include "bnkata/exercises/reference.hpp"

namespace bnkata::exercises {

struct ForwardCase {
    std::string name;
    Vec x;
    double gamma = 1, beta = 0, eps = 1e-5;
};

struct BackwardCase {
    std::string name;
    Vec x, dy;
    double gamma = 1, beta = 0, eps = 1e-5;
};

json case_json(const ForwardCase& c);
json case_json(const BackwardCase& c);

// Tolerances for code: a correct double-precision implementation lands far inside them.
Tolerance forward_tolerance();  // y, var: 1e-6 relative or absolute; mean likewise
constexpr double kBackwardMaxRelativeError = 1e-7;  // cs231n's relative error, per array

// answer {"outputs":[…]} against the reference on every case.
json grade_forward_code(const json& answer, const std::vector<ForwardCase>& cases);
json grade_backward_code(const json& answer, const std::vector<BackwardCase>& cases);

// cs231n's relative error max_i |a_i − b_i| / max(1e-8, |a_i| + |b_i|) (infinite on NaN or length mismatch).
double relative_error(const Vec& a, const Vec& b);

}  // namespace bnkata::exercises
