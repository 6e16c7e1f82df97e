// step4_train_eval.cpp — Step 4 of the kata in code: the switch model.train() and model.eval() flip.
//
//   s4-train-eval-code  write batch_norm(x, gamma, beta, state, mode, momentum) in the page's editor: batch
//                       statistics and an update of the running ones in 'train', the running ones untouched
//                       in 'eval' (PyTorch's convention); run on cases that catch each wrong switch
#include "bnkata/exercises/authoring.hpp"
#include "bnkata/exercises/code_grading.hpp"

namespace bnkata::exercises {

namespace {

constexpr double kPyTorchMomentum = 0.1;

// A running state a layer could be in: mean k/10 in [−2, 2], variance k/10 in [0.2, 3].
void draw_state(Rng& rng, TrainEvalCase& c) {
    c.running_mean = draw_tenths(rng, 1, -20, 20)[0];
    c.running_var = draw_tenths(rng, 1, 2, 30)[0];
}

// One case per wrong switch it exists to catch (the names are what the learner's report shows).
std::vector<TrainEvalCase> draw_cases(Rng& rng) {
    const double gamma = draw_tenths(rng, 1, 5, 20)[0];
    const double beta = draw_tenths(rng, 1, -10, 10)[0];
    TrainEvalCase train{"train", draw_tenths(rng, 5, -30, 30), gamma, beta, 0, 1, true, kPyTorchMomentum};
    TrainEvalCase eval{"eval", draw_tenths(rng, 5, -30, 30), gamma, beta, 0, 1, false, kPyTorchMomentum};
    draw_state(rng, eval);
    const double other_momentum = draw_one_of(rng, {0.05, 0.2, 0.3});
    TrainEvalCase momentum{"train, momentum " + show(other_momentum), draw_tenths(rng, 4, -30, 30), gamma, beta, 0, 1, true,
                           other_momentum};
    draw_state(rng, momentum);
    TrainEvalCase two{"train, a batch of two", draw_tenths(rng, 2, -30, 30), gamma, beta, 0, 1, true, kPyTorchMomentum};
    draw_state(rng, two);
    TrainEvalCase one{"eval, a batch of one", draw_tenths(rng, 1, -30, 30), gamma, beta, 0, 1, false, kPyTorchMomentum};
    draw_state(rng, one);
    return {train, eval, momentum, two, one};
}

// Every wrong switch must differ clearly from the right result, and from every other mistake's, in the
// case that catches it; and a training batch must not be constant (its two variances would coincide).
bool every_mistake_shows(const std::vector<TrainEvalCase>& cases) {
    const Tolerance tol = forward_tolerance();
    for (const TrainEvalCase& c : cases) {
        if (c.train && !(statistics(c.x).var > 0.01)) return false;
        const TrainEvalResult right = expected_train_eval(c);
        const auto variants = train_eval_variants(c);
        for (std::size_t i = 0; i < variants.size(); ++i) {
            if (!distinguishable(tol, variants[i].second, right)) return false;
            for (std::size_t j = 0; j < i; ++j)
                if (variants[i].first != variants[j].first && !distinguishable(tol, variants[i].second, variants[j].second)) return false;
        }
    }
    return true;
}

std::vector<TrainEvalCase> train_eval_cases(std::uint64_t seed) {
    Rng rng("s4-train-eval-code", seed);
    std::vector<TrainEvalCase> cases = draw_cases(rng);
    for (int tries = 1; tries < 200 && !every_mistake_shows(cases); ++tries) cases = draw_cases(rng);
    return cases;
}

const char* kStarter =
    "function batch_norm(x, gamma, beta, state, mode, momentum = 0.1) {\n"
    "  // x: one feature's values over the batch; gamma, beta: numbers;\n"
    "  // state: { running_mean, running_var } (numbers), to update in place in 'train' mode;\n"
    "  // mode: 'train' or 'eval'. Return y, an array like x.\n"
    "  const eps = 1e-5;  // PyTorch's default\n"
    "  const m = x.length;\n"
    "\n"
    "}\n";

Generated train_eval_code(std::uint64_t seed) {
    const std::vector<TrainEvalCase> cases = train_eval_cases(seed);
    json cases_json = json::array();
    for (const TrainEvalCase& c : cases) cases_json.push_back(case_json(c));
    return code_exercise(
        "Write the switch that model.train() and model.eval() flip: batch_norm(x, gamma, beta, state, mode, momentum) "
        "for one feature's values x. In 'train' mode, normalize x with the batch's own mean and biased variance, "
        "and update state.running_mean and state.running_var in place, PyTorch's way: running ← (1 − momentum)·running "
        "+ momentum·batch, with the unbiased batch variance (÷ (m − 1)) stored; momentum is 0.1 unless a case says "
        "otherwise. In 'eval' mode, normalize with state.running_mean and state.running_var and leave them as they "
        "are. ε = 1e-5, PyTorch's default. Return y. It runs on five cases, each from its own state, among them a "
        "batch of one in eval mode.",
        {"batch_norm", {"x", "gamma", "beta", "state", "mode", "momentum"}, {"y"}, {{"state", {"running_mean", "running_var"}}}},
        kStarter, cases_json,
        {"Branch on mode first: 'train' normalizes with this batch's μ_B and σ²_B, 'eval' with state.running_mean "
         "and state.running_var.",
         "In 'train', after taking μ_B and σ²_B (÷ m, to normalize): state.running_var = (1 − momentum)·state.running_var "
         "+ momentum·σ²_B·m/(m − 1).",
         "Change the fields of state (state.running_mean = …), not state itself; and in 'eval' do not touch them: "
         "a batch of one must work there."},
        "function batch_norm(x, gamma, beta, state, mode, momentum = 0.1) {\n"
        "  const eps = 1e-5;\n"
        "  const m = x.length;\n"
        "  let mean, variance;\n"
        "  if (mode === 'train') {\n"
        "    mean = x.reduce((s, v) => s + v, 0) / m;\n"
        "    variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / m;  // biased: normalizes\n"
        "    state.running_mean = (1 - momentum) * state.running_mean + momentum * mean;\n"
        "    state.running_var = (1 - momentum) * state.running_var + momentum * variance * m / (m - 1);  // unbiased: stored\n"
        "  } else {\n"
        "    mean = state.running_mean;\n"
        "    variance = state.running_var;\n"
        "  }\n"
        "  return x.map(v => gamma * (v - mean) / Math.sqrt(variance + eps) + beta);\n"
        "}\n",
        "The mode decides which statistics normalize: the batch's own in training (and they move the running "
        "averages, PyTorch storing the unbiased variance), the running ones in eval, which stay as they are. "
        "Eval output depends on the example alone, so a batch of one is fine there.",
        forward_tolerance().to_json(), [cases](const json& answer) { return grade_train_eval_code(answer, cases); });
}

}  // namespace

std::vector<ExerciseDefinition> step4_train_eval_exercises() {
    return {
        {"s4-train-eval-code", 4, "Write the train/eval switch", "code", train_eval_code},
    };
}

}  // namespace bnkata::exercises
