// step3_gradient_flow.cpp — Step 3 of the kata: why batch norm helps training, asked as
// predict → run → check. The learner predicts before running the training lab's experiment; the
// answer carries the prediction and the run's summary, and the verdict compares the prediction with
// what *this* run showed (docs/exercises.md lists the run fields).
//
//   s3-fig1-accuracy  Ioffe & Szegedy Fig. 1(a): which network ends more accurate?
//   s3-fig1-drift     Fig. 1(b, c): whose sigmoid-input span (15th to 85th percentile) changes more?
//   s3-lr-sweep       Bjorck et al.: which network reaches 80 % test accuracy at larger learning rates?
//   s3-bias-blowup    Ioffe §2: ignore the gradient through μ_B — what do the bias and the loss do?
#include <cmath>
#include <optional>

#include "bnkata/exercises/authoring.hpp"

namespace bnkata::exercises {

namespace {

// What the run showed: the option that describes it, and a sentence with the run's numbers.
struct Outcome {
    std::string option;
    std::string observed;
};

// Reads the run summary; returns the outcome, or nothing with `problem` set (naming the field).
using Judge = std::optional<Outcome> (*)(const json& run, std::string& problem);

struct Question {
    const char* experiment;
    const char* paper;  // the option the paper's result supports (the run may still show another)
    std::string prompt;
    std::vector<Option> options;  // `correct` is unused: the run decides
    std::vector<std::string> hints;
    std::string explanation;
    Judge judge;
};

// --- Reading the run summary ---------------------------------------------------------------------------

std::optional<double> number_at(const json& run, const char* group, const char* name, double lo, double hi,
                                std::string& problem) {
    const std::string path = std::string("run.") + group + "." + name;
    const auto g = run.find(group);
    if (g == run.end() || !g->is_object()) {
        problem = std::string("run.") + group + ": missing (expected an object with " + name + ")";
        return std::nullopt;
    }
    const auto v = g->find(name);
    if (v == g->end() || !v->is_number()) {
        problem = path + ": expected a number";
        return std::nullopt;
    }
    const double d = v->get<double>();
    if (!std::isfinite(d) || d < lo || d > hi) {
        problem = path + ": expected a finite number from " + show(lo) + " to " + show(hi);
        return std::nullopt;
    }
    return d;
}

constexpr double kHuge = 1e300;

std::string percent(double share) { return show(100 * share, 3) + " %"; }

// --- Judges: what the run showed -----------------------------------------------------------------------

std::optional<Outcome> judge_accuracy(const json& run, std::string& problem) {
    const auto with = number_at(run, "with_bn", "final_accuracy", 0, 1, problem);
    if (!with) return std::nullopt;
    const auto without = number_at(run, "without_bn", "final_accuracy", 0, 1, problem);
    if (!without) return std::nullopt;
    const std::string numbers = "test accuracy with BN " + percent(*with) + ", without BN " + percent(*without);
    if (*with > *without + 0.01) return Outcome{"a", "The network with BN ended more accurate: " + numbers + "."};
    if (*without > *with + 0.01) return Outcome{"b", "The network without BN ended more accurate: " + numbers + "."};
    return Outcome{"c", "Both ended within one percentage point: " + numbers + "."};
}

// The span is what visibly changes in the lab's Fig. 1 panels (the medians barely move in either network).
std::optional<Outcome> judge_drift(const json& run, std::string& problem) {
    const auto with = number_at(run, "with_bn", "span_drift", 0, kHuge, problem);
    if (!with) return std::nullopt;
    const auto without = number_at(run, "without_bn", "span_drift", 0, kHuge, problem);
    if (!without) return std::nullopt;
    const std::string numbers = "the span from the 15th to the 85th percentile of the sigmoid's input changed by up to " +
                                show(*with, 3) + " with BN and by up to " + show(*without, 3) + " without";
    // "More" means clearly more: half as much again, and by a visible amount.
    auto clearly_more = [](double a, double b) { return a > 1.5 * b && a - b > 0.05; };
    if (clearly_more(*without, *with)) return Outcome{"a", "Without BN the distribution drifted more: " + numbers + "."};
    if (clearly_more(*with, *without)) return Outcome{"b", "With BN the distribution drifted more: " + numbers + "."};
    return Outcome{"c", "The two drifts were about the same: " + numbers + "."};
}

std::optional<Outcome> judge_learning_rate(const json& run, std::string& problem) {
    const auto with = number_at(run, "max_stable_lr", "with_bn", 0, kHuge, problem);
    if (!with) return std::nullopt;
    const auto without = number_at(run, "max_stable_lr", "without_bn", 0, kHuge, problem);
    if (!without) return std::nullopt;
    const auto said = [](double lr) { return lr > 0 ? show(lr, 3) : std::string("none of the swept rates"); };
    const std::string numbers = "the largest learning rate that reached 80 % test accuracy was " + said(*with) +
                                " with BN and " + said(*without) + " without";
    if (*with > *without) return Outcome{"a", "With BN, larger steps still reached 80 %: " + numbers + "."};
    if (*without > *with) return Outcome{"b", "Without BN, larger steps still reached 80 %: " + numbers + "."};
    return Outcome{"c", "Both reached 80 % up to the same learning rate: " + numbers + "."};
}

std::optional<Outcome> judge_bias(const json& run, std::string& problem) {
    const auto b0 = number_at(run, "bias_blowup", "bias_norm_start", 0, kHuge, problem);
    if (!b0) return std::nullopt;
    const auto b1 = number_at(run, "bias_blowup", "bias_norm_end", 0, kHuge, problem);
    if (!b1) return std::nullopt;
    const auto l0 = number_at(run, "bias_blowup", "loss_start", 0, kHuge, problem);
    if (!l0) return std::nullopt;
    const auto l1 = number_at(run, "bias_blowup", "loss_end", 0, kHuge, problem);
    if (!l1) return std::nullopt;
    const bool grew = *b1 > std::max(2 * *b0, *b0 + 0.1);
    const bool loss_changed = std::fabs(*l1 - *l0) > 0.05 * std::max(*l0, 1e-3);
    const std::string numbers = "the bias norm went from " + show(*b0, 3) + " to " + show(*b1, 3) +
                                " and the loss from " + show(*l0, 3) + " to " + show(*l1, 3);
    const std::string option = grew ? (loss_changed ? "b" : "a") : (loss_changed ? "d" : "c");
    return Outcome{option, "In your run " + numbers + "."};
}

// --- The questions -------------------------------------------------------------------------------------

Question accuracy_question() {
    return {"fig1", "a",
            "Ioffe & Szegedy's Fig. 1: two identical 3-hidden-layer sigmoid networks train on MNIST from the same "
            "initial weights, one with batch norm before each sigmoid. Before you run it: which one will have "
            "the higher test accuracy at the end of the run?",
            {{"a", "The network with batch norm, because its sigmoids keep receiving inputs they can learn from.", false,
              "BN keeps each sigmoid's inputs centred and scaled, so the gradients stay useful and the network "
              "learns faster at the same learning rate."},
             {"b", "The network without batch norm, because normalising every batch adds noise to its training.", false,
              "The batch noise is real but small at 60 examples per batch; a short or unlucky run can still end this way."},
             {"c", "About the same (within one point), because both networks see the same data for the same steps.", false,
              "Both eventually learn MNIST well, but over a short run the speed of learning decides the difference."}},
            {"Sigmoid units saturate when their inputs drift far from 0. Which network keeps them near 0?"},
            "In the paper the BN network reaches higher accuracy sooner. The verdict compares your prediction "
            "with your own run.",
            judge_accuracy};
}

Question drift_question() {
    return {"fig1", "a",
            "Fig. 1(b, c) follows the 15th, 50th and 85th percentiles of one last-hidden-layer sigmoid's input "
            "during training. The lab measures how far the span from the 15th to the 85th percentile moves from "
            "its first value (the largest change over the run). Before you run it: in which network will that "
            "span change more?",
            {{"a", "Without batch norm, because each update of the layers below reshapes what this unit receives.", false,
              "Every update of the earlier layers changes the distribution this unit sees; nothing pulls it back."},
             {"b", "With batch norm, because γ and β are free to stretch the unit's input as training goes on.", false,
              "γ and β do move, but slowly and on purpose; BN re-normalises every batch before they act."},
             {"c", "About the same, because both networks start from the same weights and see the same batches.", false,
              "Same start, same batches, but only one of them re-normalises each batch before the sigmoid."}},
            {"Batch norm divides by the batch's spread before γ and β: what does that do to a widening input?"},
            "Without BN the input distribution of a deep sigmoid changes as the layers below learn (what the "
            "paper calls internal covariate shift); with BN its spread is held by the normalisation and γ.",
            judge_drift};
}

Question learning_rate_question() {
    return {"lr-sweep", "a",
            "The lab trains both networks (the Fig. 1 sigmoid network) at a sweep of learning rates from 0.03 to "
            "100 and records the largest rate at which the test accuracy still reaches 80 %. Before you run it: "
            "which network reaches 80 % at larger learning rates?",
            {{"a", "The network with batch norm, because its layers' outputs do not depend on the weights' scale.", false,
              "BN makes each layer's output invariant to the scale of its weights, so a large step cannot push "
              "the next layer's inputs out of range (Bjorck et al. 2018)."},
             {"b", "The network without batch norm, because it has fewer operations that large steps can upset.", false,
              "Without BN, large steps saturate the sigmoids (here) or blow up the activations of ReLU networks "
              "(Bjorck et al.); training stalls or diverges."},
             {"c", "Both up to the same rate, because the learning rate scales every weight update identically.", false,
              "The update is scaled identically, but what it does to the next layer's inputs is not."}},
            {"What happens to a sigmoid's inputs when one step makes the weights below it much larger?"},
            "Allowing much larger learning rates is, by Bjorck et al.'s account, BN's main benefit. The lab's "
            "depth experiment (ReLU, weight scale 2) shows the diverging case of an unnormalised network.",
            judge_learning_rate};
}

Question bias_question() {
    return {"bias-blowup", "a",
            "Ioffe & Szegedy §2: train with batch norm, but let the gradient ignore that μ_B depends on the "
            "layer's bias b. Before you run it: what happens to the bias and to the loss?",
            {{"a", "The bias grows and grows, while the loss stays about the same.", false,
              "Each update moves b, BN's μ_B cancels the move, so the loss sees nothing — and the gradient keeps "
              "asking for more."},
             {"b", "The bias grows, and the loss changes along with it.", false,
              "The loss cannot see b at all: the forward pass subtracts μ_B, which contains b."},
             {"c", "The bias stays bounded, and the loss stays about the same.", false,
              "The gradient step on b is never undone, so b keeps drifting."},
             {"d", "The bias stays bounded, while the loss changes.", false,
              "That is ordinary training, where the gradient accounts for μ_B."}},
            {"The forward pass computes z − μ_B. What happens to that when b grows by some amount?"},
            "Ignoring μ_B's dependence on b makes the optimiser push b forever while BN cancels every push: "
            "the loss stays flat while b blows up. This is why the gradient must flow through μ_B and σ²_B.",
            judge_bias};
}

Generated predict_exercise(const Question& q) {
    json options = json::array();
    json explained = json::object();
    for (const Option& o : q.options) {
        options.push_back({{"id", o.id}, {"text", o.text}});
        explained[o.id] = o.explanation;
    }
    Generated g;
    g.exercise = {{"prompt", q.prompt},
                  {"data", json::object()},
                  {"experiment", q.experiment},
                  {"fields", json::array({{{"name", "prediction"}, {"label", "Your prediction"}, {"type", "choice"}}})},
                  {"options", options},
                  {"hints", q.hints},
                  {"solution",
                   {{"answer", nullptr},
                    {"paper", {{"prediction", q.paper}}},
                    {"options", explained},
                    {"explanation", q.explanation + " (The right option depends on what your run shows.)"}}},
                  {"tolerance", {{"text", "your prediction against your run"}}}};
    g.grade = [q](const json& answer) -> json {
        const std::string tol = "your prediction against your run";
        const auto p = answer.find("prediction");
        if (p == answer.end() || p->is_null() || (p->is_string() && p->get<std::string>().empty()))
            return verdict_json(Verdict::not_attempted, "Make your prediction first, then run the experiment.", tol);
        if (!p->is_string()) return verdict_json(Verdict::invalid, "prediction: expected an option id", tol);
        const std::string prediction = p->get<std::string>();
        bool known = false;
        for (const Option& o : q.options) known = known || o.id == prediction;
        if (!known) return verdict_json(Verdict::invalid, "prediction: there is no option with that id", tol);
        const auto run = answer.find("run");
        if (run == answer.end() || run->is_null())
            return verdict_json(Verdict::not_attempted, "Run the experiment first, then check your prediction.", tol);
        if (!run->is_object()) return verdict_json(Verdict::invalid, "run: expected the lab's run summary (an object)", tol);
        const auto experiment = run->find("experiment");
        if (experiment == run->end() || !experiment->is_string())
            return verdict_json(Verdict::invalid, "run.experiment: missing (expected \"" + std::string(q.experiment) + "\")", tol);
        if (experiment->get<std::string>() != q.experiment)
            return verdict_json(Verdict::invalid, "run.experiment: this question is about the \"" + std::string(q.experiment) +
                                                      "\" experiment; run that one", tol);
        std::string problem;
        const std::optional<Outcome> outcome = q.judge(*run, problem);
        if (!outcome) return verdict_json(Verdict::invalid, problem, tol);
        // As for choices: a wrong prediction is explained, the others wait for "Reveal the solution".
        json explanations = json::object();
        for (const Option& o : q.options)
            if (o.id == prediction)
                explanations[o.id] = (o.id == outcome->option ? "What your run showed. " : "Not what your run showed. ") + o.explanation;
        // A choice first made once the run existed is not a prediction: the page records it as made after
        // the run, and it never counts as correct.
        const auto after = answer.find("made_after_run");
        const bool made_after_run = after != answer.end() && after->is_boolean() && after->get<bool>();
        json result = made_after_run
                          ? verdict_json(Verdict::incorrect,
                                         "This choice was made after the run, so it is not counted as a prediction. " +
                                             outcome->observed, tol)
                      : prediction == outcome->option
                          ? verdict_json(Verdict::correct, "Your prediction matches the run. " + outcome->observed, tol)
                          : verdict_json(Verdict::incorrect, "The run showed something else. " + outcome->observed, tol);
        if (made_after_run) result["made_after_run"] = true;
        result["observed"] = outcome->option;
        result["options"] = explanations;
        return result;
    };
    return g;
}

Generated fig1_accuracy(std::uint64_t) { return predict_exercise(accuracy_question()); }
Generated fig1_drift(std::uint64_t) { return predict_exercise(drift_question()); }
Generated lr_sweep(std::uint64_t) { return predict_exercise(learning_rate_question()); }
Generated bias_blowup(std::uint64_t) { return predict_exercise(bias_question()); }

}  // namespace

std::vector<ExerciseDefinition> step3_exercises() {
    return {
        {"s3-fig1-accuracy", 3, "Predict: accuracy with and without batch norm", "predict", fig1_accuracy, true},
        {"s3-fig1-drift", 3, "Predict: the drift of a sigmoid's inputs", "predict", fig1_drift},
        {"s3-lr-sweep", 3, "Predict: the largest learning rate that trains", "predict", lr_sweep},
        {"s3-bias-blowup", 3, "Predict: ignoring the gradient through μ_B", "predict", bias_blowup, true},
    };
}

}  // namespace bnkata::exercises
