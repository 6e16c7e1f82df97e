// step4_inference.cpp — Step 4 of the kata: training versus inference.
//
//   s4-running-pytorch  running mean/variance after k batches, PyTorch's convention
//   s4-running-keras    the same under Keras's convention
//   s4-eval-single      the eval-mode output for a single example
//   s4-batch-of-one     what a training-mode batch of one produces
//   s4-fold             folding batch norm into the preceding linear layer (W', b')
#include <cmath>

#include "bnkata/exercises/authoring.hpp"
#include "bnkata/exercises/reference.hpp"

namespace bnkata::exercises {

namespace {

// --- s4-running-pytorch, s4-running-keras ----------------------------------------------------------------

// The running statistics a *wrong* recipe produces: r ← (1 − w)·r + w·batch, storing the unbiased or the
// biased batch variance. (The right answers come from the core's update_running.)
Running blend(const std::vector<Vec>& batches, Running start, double weight_of_new, bool store_unbiased) {
    Running r = start;
    for (const Vec& b : batches) {
        const Statistics s = statistics(b);
        r.mean = (1 - weight_of_new) * r.mean + weight_of_new * s.mean;
        r.var = (1 - weight_of_new) * r.var + weight_of_new * (store_unbiased ? s.var_unbiased : s.var);
    }
    return r;
}

struct RunningDraw {
    std::vector<Vec> batches;
    NumericGrading grading;
};

template <Convention convention>
RunningDraw draw_running(Rng& rng) {
    const ConventionInfo info = convention_info(convention);
    const double m = info.default_momentum;
    RunningDraw d;
    for (int k = 0; k < 3; ++k) d.batches.push_back(draw_integers(rng, 4, 0, 9));
    const Running right = running_after(d.batches, {0, 1}, m, convention);
    const bool pytorch = convention == Convention::pytorch;
    // Weight of the new batch under this convention, and under the other one (the flipped mistake).
    const double w = pytorch ? m : 1 - m;
    const double w_flipped = 1 - w;
    const Running flipped = blend(d.batches, {0, 1}, w_flipped, pytorch);
    const Running other_var = blend(d.batches, {0, 1}, w, !pytorch);
    const Running zero_init = running_after(d.batches, {0, 0}, m, convention);
    d.grading.tolerance = hand_tolerance();
    d.grading.fields = {{"running_mean", "running mean", {right.mean}, false},
                        {"running_var", "running variance", {right.var}, false}};
    d.grading.variants = {
        {"momentum_flipped", {{flipped.mean}, {flipped.var}}},
        {pytorch ? "stored_biased_variance" : "stored_unbiased_variance", {{other_var.mean}, {other_var.var}}},
        {"running_var_init_zero", {{zero_init.mean}, {zero_init.var}}},
    };
    return d;
}

template <Convention convention>
Generated running(std::uint64_t seed) {
    const bool pytorch = convention == Convention::pytorch;
    const ConventionInfo info = convention_info(convention);
    Rng rng(pytorch ? "s4-running-pytorch" : "s4-running-keras", seed);
    const RunningDraw d = draw_until_distinguishable(rng, draw_running<convention>);
    std::string batches;
    for (std::size_t k = 0; k < d.batches.size(); ++k)
        batches += "\n  batch " + std::to_string(k + 1) + ": " + show(d.batches[k]);
    std::string steps;
    Running r{0, 1};
    for (std::size_t k = 0; k < d.batches.size(); ++k) {
        const Statistics s = statistics(d.batches[k]);
        r = running_after({d.batches[k]}, r, info.default_momentum, convention);
        steps += " After batch " + std::to_string(k + 1) + " (μ_B = " + show(s.mean) + ", σ²_B = " +
                 show(pytorch ? s.var_unbiased : s.var, 5) + (pytorch ? " unbiased" : " biased") + "): mean " +
                 show(r.mean, 5) + ", variance " + show(r.var, 5) + ".";
    }
    const std::string framework = pytorch ? "PyTorch (nn.BatchNorm1d, momentum = 0.1)"
                                          : "Keras (BatchNormalization, momentum = 0.99)";
    return numeric_exercise(
        "A freshly created " + framework + " layer with one feature sees these three training batches:" + batches +
            "\nWhat are its running mean and running variance afterwards?",
        {{"batches", d.batches}, {"momentum", info.default_momentum}, {"convention", info.name},
         {"initial", {{"running_mean", 0}, {"running_var", 1}}}},
        d.grading,
        {"Both frameworks start from running mean 0 and running variance 1.",
         pytorch ? "PyTorch's momentum weights the new batch: r ← (1 − 0.1)·r + 0.1·batch."
                 : "Keras's momentum weights the old value: r ← 0.99·r + (1 − 0.99)·batch.",
         pytorch ? "PyTorch stores the unbiased batch variance (÷ (m − 1)) in running_var, although it normalises "
                   "with the biased one."
                 : "Keras stores the biased batch variance (÷ m), the same one it normalises with."},
        "Starting from mean 0, variance 1." + steps);
}

// --- s4-eval-single ------------------------------------------------------------------------------------

struct EvalDraw {
    double x = 0, gamma = 1, beta = 0, running_mean = 0, running_var = 1, eps = 0.1;
    NumericGrading grading;
};

EvalDraw draw_eval(Rng& rng) {
    EvalDraw d;
    d.x = draw_tenths(rng, 1, -30, 30)[0];
    d.running_mean = draw_tenths(rng, 1, -20, 20)[0];
    d.running_var = draw_tenths(rng, 1, 2, 30)[0];
    d.gamma = draw_tenths(rng, 1, 5, 20)[0] * rng.sign();
    d.beta = draw_tenths(rng, 1, -10, 10)[0];
    d.eps = draw_one_of(rng, {0.1, 0.2});
    const double y = forward_eval({d.x}, d.gamma, d.beta, d.running_mean, d.running_var, d.eps)[0];
    const double xhat = (d.x - d.running_mean) / std::sqrt(d.running_var + d.eps);
    d.grading.tolerance = hand_tolerance();
    d.grading.fields = {{"y", "y", {y}, false}};
    d.grading.variants = {
        // A batch of this one example: μ_B = x, σ²_B = 0, so x̂ = 0 and y = β.
        {"batch_stats_at_inference", {{d.beta}}},
        {"eps_omitted", {{d.gamma * (d.x - d.running_mean) / std::sqrt(d.running_var) + d.beta}}},
        {"forgot_beta", {{d.gamma * xhat}}},
        {"forgot_gamma", {{xhat + d.beta}}},
        {"var_instead_of_std", {{d.gamma * (d.x - d.running_mean) / (d.running_var + d.eps) + d.beta}}},
    };
    return d;
}

Generated eval_single(std::uint64_t seed) {
    Rng rng("s4-eval-single", seed);
    const EvalDraw d = draw_until_distinguishable(rng, draw_eval);
    return numeric_exercise(
        "A trained batch-norm layer (one feature) has γ = " + show(d.gamma) + ", β = " + show(d.beta) +
            ", running mean " + show(d.running_mean) + ", running variance " + show(d.running_var) + " and ε = " +
            show(d.eps) + " (large, so that it shows). In eval mode, what does it output for the single example x = " +
            show(d.x) + "?",
        {{"x", d.x}, {"gamma", d.gamma}, {"beta", d.beta}, {"running_mean", d.running_mean},
         {"running_var", d.running_var}, {"eps", d.eps}},
        d.grading,
        {"In eval mode the batch's own statistics are not used at all.",
         "Normalise with the running statistics: x̂ = (x − running mean)/√(running variance + ε).",
         "Then scale and shift: y = γ·x̂ + β."},
        "y = γ·(x − running mean)/√(running variance + ε) + β = " + show(d.gamma) + "·(" + show(d.x) + " − " +
            show(d.running_mean) + ")/√(" + show(d.running_var) + " + " + show(d.eps) + ") + " + show(d.beta) + " = " +
            show(d.grading.fields[0].expected[0], 5) + ". The output depends on this example alone.");
}

// --- s4-batch-of-one -----------------------------------------------------------------------------------

Generated batch_of_one(std::uint64_t seed) {
    Rng rng("s4-batch-of-one", seed);
    const double x = draw_tenths(rng, 1, -30, 30)[0];
    const double gamma = draw_tenths(rng, 1, 5, 20)[0];
    const double beta = draw_tenths(rng, 1, -10, 10)[0];
    // The core's training forward on [x]: μ_B = x, σ²_B = 0, so y = β whatever x is.
    const double y = forward({x}, gamma, beta, 1e-5).y[0];
    const std::vector<Option> truths = {
        {"t1", "PyTorch's BatchNorm1d refuses: \"Expected more than 1 value per channel when training\".", true,
         "PyTorch raises this error in training mode when a channel has one value (N·H·W = 1)."},
        {"t2", "Keras silently outputs β = " + show(beta) + ", whatever x is.", true,
         "μ_B = x and σ²_B = 0, so x̂ = 0/√ε = 0 and y = γ·0 + β = β (the core computes " + show(y) + ")."},
        {"t3", "x̂ = 0, because a single example is its own batch mean, so x − μ_B = 0.", true,
         "A single value is its own mean."},
        {"t4", "In eval mode the same example is fine, because the running statistics are used.", true,
         "That is how models serve one request at a time."},
    };
    const std::vector<Option> falsehoods = {
        {"f1", "The output is NaN, because σ²_B = 0 and the formula divides by it.", false,
         "ε keeps the denominator at √ε, so x̂ = 0, not NaN."},
        {"f2", "The output equals the input x = " + show(x) + ", because BN passes a lone value through.", false,
         "The output is β: the example's own statistics erase it completely."},
        {"f3", "The output is γ·x + β = " + show(gamma * x + beta) + ", because there is nothing to normalise.", false,
         "There is something to subtract: μ_B = x, so x − μ_B = 0 and y = β."},
        {"f4", "PyTorch's BatchNorm2d refuses a single image in training mode, whatever its size.", false,
         "A single image has H·W values per channel, more than one, so BatchNorm2d normalises over them."},
    };
    const std::vector<Option> options = draw_statements(rng, truths, falsehoods, 5, 1);
    return choice_exercise(
        "A batch-norm layer with γ = " + show(gamma) + " and β = " + show(beta) +
            " runs in training mode on a batch of ONE example, x = [" + show(x) + "]. Which statements are true? "
            "(Select all that apply.)",
        {{"x", {x}}, {"gamma", gamma}, {"beta", beta}}, options, true,
        {"What are μ_B and σ²_B of a batch with one value?", "What is x̂ then, and what is γ·x̂ + β?"},
        "With one example, μ_B = x and σ²_B = 0, so x̂ = 0 and y = β: the output carries no information about "
        "the input. PyTorch refuses rather than silently doing this; Keras does it silently. Eval mode uses the "
        "running statistics and is fine.");
}

// --- s4-fold -------------------------------------------------------------------------------------------

constexpr std::size_t kIn = 3, kOut = 2;  // the linear layer maps 3 inputs to 2 units, one BN channel each

struct FoldDraw {
    Vec W, b, gamma, beta, running_mean, running_var;
    double eps = 1e-5;
    NumericGrading grading;
};

// W' and b' for a given per-unit scale s_j (the right one is γ_j/√(rv_j + ε)).
void fold_with(const FoldDraw& d, const Vec& scale, bool subtract_mean, bool add_beta, Vec& W2, Vec& b2) {
    W2.assign(kOut * kIn, 0);
    b2.assign(kOut, 0);
    for (std::size_t j = 0; j < kOut; ++j) {
        for (std::size_t i = 0; i < kIn; ++i) W2[j * kIn + i] = d.W[j * kIn + i] * scale[j];
        b2[j] = (d.b[j] - (subtract_mean ? d.running_mean[j] : 0)) * scale[j] + (add_beta ? d.beta[j] : 0);
    }
}

FoldDraw draw_fold(Rng& rng) {
    FoldDraw d;
    d.W = draw_integers(rng, kOut * kIn, -3, 3);
    d.b = draw_tenths(rng, kOut, -10, 10);
    d.gamma = draw_tenths(rng, kOut, 5, 20);
    d.beta = draw_tenths(rng, kOut, -10, 10);
    d.running_mean = draw_tenths(rng, kOut, -20, 20);
    d.running_var = draw_tenths(rng, kOut, 2, 30);
    Vec scale(kOut), scale_no_root(kOut), ones(kOut, 1.0);
    for (std::size_t j = 0; j < kOut; ++j) {
        scale[j] = d.gamma[j] / std::sqrt(d.running_var[j] + d.eps);
        scale_no_root[j] = d.gamma[j] / (d.running_var[j] + d.eps);
    }
    Vec W2, b2;
    fold_with(d, scale, true, true, W2, b2);
    d.grading.tolerance = hand_tolerance();
    d.grading.fields = {{"W", "W' (row by row)", W2, true}, {"b", "b'", b2, true}};
    Vec Wv, bv;
    fold_with(d, scale, false, true, Wv, bv);
    d.grading.variants.push_back({"fold_forgot_mean", {W2, bv}});
    fold_with(d, scale, true, false, Wv, bv);
    d.grading.variants.push_back({"forgot_beta", {W2, bv}});
    d.grading.variants.push_back({"fold_unscaled_weights", {d.W, b2}});
    fold_with(d, scale_no_root, true, true, Wv, bv);
    d.grading.variants.push_back({"var_instead_of_std", {Wv, bv}});
    return d;
}

// Eval-mode outputs of the unfolded pair (linear layer, then the core's BN) for each input u (rows).
std::vector<Vec> unfolded_outputs(const FoldDraw& d, const std::vector<Vec>& inputs) {
    Vec z(inputs.size() * kOut), y(inputs.size() * kOut);
    for (std::size_t n = 0; n < inputs.size(); ++n)
        for (std::size_t j = 0; j < kOut; ++j) {
            double s = d.b[j];
            for (std::size_t i = 0; i < kIn; ++i) s += d.W[j * kIn + i] * inputs[n][i];
            z[n * kOut + j] = s;
        }
    bnkata::forward_eval<double>(y.data(), z.data(), d.gamma.data(), d.beta.data(), d.running_mean.data(),
                                 d.running_var.data(), Layout{inputs.size(), kOut, 1}, d.eps);
    std::vector<Vec> out;
    for (std::size_t n = 0; n < inputs.size(); ++n) out.emplace_back(y.begin() + n * kOut, y.begin() + (n + 1) * kOut);
    return out;
}

std::vector<Vec> folded_outputs(const Vec& W2, const Vec& b2, const std::vector<Vec>& inputs) {
    std::vector<Vec> out;
    for (const Vec& u : inputs) {
        Vec y(kOut);
        for (std::size_t j = 0; j < kOut; ++j) {
            y[j] = b2[j];
            for (std::size_t i = 0; i < kIn; ++i) y[j] += W2[j * kIn + i] * u[i];
        }
        out.push_back(y);
    }
    return out;
}

// The inputs the fold is verified on: each unit vector and zero determine W' and b' completely.
const std::vector<Vec> kCheckInputs = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, -2, 3}};

Generated fold(std::uint64_t seed) {
    Rng rng("s4-fold", seed);
    const FoldDraw d = draw_until_distinguishable(rng, draw_fold);
    const Vec& W2 = d.grading.fields[0].expected;
    const Vec& b2 = d.grading.fields[1].expected;
    Vec scale(kOut);
    for (std::size_t j = 0; j < kOut; ++j) scale[j] = d.gamma[j] / std::sqrt(d.running_var[j] + d.eps);
    const std::string rows = "W = [" + show(Vec(d.W.begin(), d.W.begin() + kIn)) + ", " +
                             show(Vec(d.W.begin() + kIn, d.W.end())) + "]";
    Generated g = numeric_exercise(
        "A linear layer z = W·u + b with " + rows + " (2 units, 3 inputs) and b = " + show(d.b) +
            " feeds a batch-norm layer (eval mode) with γ = " + show(d.gamma) + ", β = " + show(d.beta) +
            ", running mean " + show(d.running_mean) + ", running variance " + show(d.running_var) +
            ", ε = 1e-5. Fold the batch norm into the linear layer: give W' (6 numbers, row by row) and b' "
            "(2 numbers) so that W'·u + b' equals the batch norm's eval output for every u.",
        {{"W", {Vec(d.W.begin(), d.W.begin() + kIn), Vec(d.W.begin() + kIn, d.W.end())}},
         {"b", d.b}, {"gamma", d.gamma}, {"beta", d.beta}, {"running_mean", d.running_mean},
         {"running_var", d.running_var}, {"eps", d.eps}, {"check_inputs", kCheckInputs}},
        d.grading,
        {"Eval-mode BN is an affine map per unit: y_j = s_j·(z_j − running_mean_j) + β_j with s_j = γ_j/√(rv_j + ε).",
         "Substitute z_j = W_j·u + b_j: every weight in row j gets multiplied by s_j.",
         "b'_j = (b_j − running_mean_j)·s_j + β_j."},
        "Eval-mode BN is y_j = s_j·(z_j − running_mean_j) + β_j with s_j = γ_j/√(rv_j + ε) = " + show(scale, 5) +
            ". Substituting z = W·u + b gives W' = s_j·W (row j) = " + show(W2, 5) +
            " and b' = (b − running mean)·s + β = " + show(b2, 5) +
            ". Folding is valid only in eval mode, where the statistics are constants.");
    const auto base_grade = g.grade;
    g.grade = [base_grade, d](const json& answer) {
        json result = base_grade(answer);
        // Show the verification the question promises: equal eval outputs on the check inputs.
        const auto Wf = answer.find("W");
        const auto bf = answer.find("b");
        const Reading Wr = read_typed_vector(Wf == answer.end() ? nullptr : &*Wf, kOut * kIn);
        const Reading br = read_typed_vector(bf == answer.end() ? nullptr : &*bf, kOut);
        if (Wr.status == Reading::Status::ok && br.status == Reading::Status::ok) {
            result["eval_check"] = {{"inputs", kCheckInputs},
                                    {"expected", unfolded_outputs(d, kCheckInputs)},
                                    {"got", folded_outputs(Wr.values, br.values, kCheckInputs)}};
        }
        return result;
    };
    return g;
}

Generated running_pytorch(std::uint64_t seed) { return running<Convention::pytorch>(seed); }
Generated running_keras(std::uint64_t seed) { return running<Convention::keras>(seed); }

}  // namespace

std::vector<ExerciseDefinition> step4_exercises() {
    return {
        // Shown before the lesson gives the fold formula, so the learner derives it.
        {"s4-fold", 4, "Fold batch norm into the linear layer", "vector", fold},
        {"s4-running-pytorch", 4, "Running statistics, PyTorch's way", "numeric", running_pytorch, true},
        {"s4-running-keras", 4, "Running statistics, Keras's way", "numeric", running_keras},
        {"s4-eval-single", 4, "Eval mode: one example", "numeric", eval_single, true},
        {"s4-batch-of-one", 4, "Training mode: a batch of one", "multi", batch_of_one},
    };
}

}  // namespace bnkata::exercises
