// code_grading.hpp — grading the learner's own code, run by the page on hidden cases.
//
// The page runs the learner's JavaScript in a sandboxed Worker on every case and submits what came back,
// one entry per case: {"y":[…],"mean":…,"var":…} (forward), {"dx":[…],"dgamma":…,"dbeta":…} (backward),
// {"y":[…],"state":{"running_mean":…,"running_var":…}} (the train/eval switch: y and the state the call
// left behind), {"error":"message"} when it threw, {"timeout":true} when it ran out of time. NaN arrives as null (what
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

// One call of the learner's batch_norm(x, gamma, beta, state, mode, momentum) on one feature, from the
// state {running_mean, running_var}: PyTorch's convention (running ← (1 − momentum)·running +
// momentum·batch, the unbiased batch variance stored) and PyTorch's ε.
struct TrainEvalCase {
    std::string name;
    Vec x;
    double gamma = 1, beta = 0;
    double running_mean = 0, running_var = 1;
    bool train = true;
    double momentum = 0.1;
};
constexpr double kTrainEvalEps = 1e-5;

json case_json(const ForwardCase& c);
json case_json(const BackwardCase& c);
json case_json(const TrainEvalCase& c);  // {"name","x","gamma","beta","state":{…},"mode":"train"|"eval","momentum"}

// Tolerances for code: a correct double-precision implementation lands far inside them.
Tolerance forward_tolerance();  // y, var: 1e-6 relative or absolute; mean likewise
constexpr double kBackwardMaxRelativeError = 1e-7;  // cs231n's relative error, per array

// answer {"outputs":[…]} against the reference on every case.
json grade_forward_code(const json& answer, const std::vector<ForwardCase>& cases);
json grade_backward_code(const json& answer, const std::vector<BackwardCase>& cases);
json grade_train_eval_code(const json& answer, const std::vector<TrainEvalCase>& cases);

// What a correct batch_norm returns for a case and the state it leaves, computed by the core: in train
// mode forward() and running_after(), in eval mode forward_eval() and the state untouched.
struct TrainEvalResult {
    Vec y;
    double running_mean = 0, running_var = 1;
};
TrainEvalResult expected_train_eval(const TrainEvalCase& c);
// The known wrong switches for a case, mistake id → what they return (see grade_train_eval_code).
std::vector<std::pair<std::string, TrainEvalResult>> train_eval_variants(const TrainEvalCase& c);
// Whether two results differ clearly somewhere (in y or a running statistic) at the tolerance t.
bool distinguishable(const Tolerance& t, const TrainEvalResult& a, const TrainEvalResult& b);

// cs231n's relative error max_i |a_i − b_i| / max(1e-8, |a_i| + |b_i|) (infinite on NaN or length mismatch).
double relative_error(const Vec& a, const Vec& b);

}  // namespace bnkata::exercises
