// step1_normalization.cpp — Step 1 of the kata: batch statistics and the normalised activation x̂.
//
//   s1-mean-var        μ_B and σ²_B of the learner's batch
//   s1-xhat            x̂ of one element of a small (examples × features) table
//   s1-formula         type the x̂ formula
//   s1-constant-batch  a constant batch, and why ε is there
#include <cmath>

#include "bnkata/exercises/authoring.hpp"
#include "bnkata/exercises/reference.hpp"

namespace bnkata::exercises {

namespace {

// --- s1-mean-var ---------------------------------------------------------------------------------------

struct MeanVarDraw {
    Vec x;
    NumericGrading grading;
};

MeanVarDraw draw_mean_var(Rng& rng) {
    MeanVarDraw d;
    d.x = draw_integers(rng, 5, 0, 12);
    const Statistics s = statistics(d.x);
    d.grading.tolerance = hand_tolerance();
    d.grading.fields = {{"mean", "μ_B", {s.mean}, false}, {"var", "σ²_B", {s.var}, false}};
    d.grading.variants = {
        {"unbiased_variance", {{s.mean}, {s.var_unbiased}}},
        {"std_instead_of_var", {{s.mean}, {std::sqrt(s.var)}}},
    };
    return d;
}

Generated mean_var(std::uint64_t seed) {
    Rng rng("s1-mean-var", seed);
    const MeanVarDraw d = draw_until_distinguishable(rng, draw_mean_var);
    const Statistics s = statistics(d.x);
    std::string squares;
    for (std::size_t i = 0; i < d.x.size(); ++i)
        squares += (i ? " + " : "") + std::string("(") + show(d.x[i]) + " − " + show(s.mean) + ")²";
    return numeric_exercise(
        "Your mini-batch holds m = 5 activations of one feature: x = " + show(d.x) +
            ". Compute the batch mean μ_B and the batch variance σ²_B that batch norm uses.",
        {{"x", d.x}}, d.grading,
        {"μ_B is the plain average: add the m values and divide by m.",
         "σ²_B is the average squared distance from the mean: (1/m)·Σ(x_i − μ_B)².",
         "Divide by m, not by m − 1: batch norm normalises with the biased variance (np.var's default)."},
        "μ_B = (" + show(d.x[0]) + " + … + " + show(d.x[4]) + ")/5 = " + show(s.mean) + ". σ²_B = (" + squares +
            ")/5 = " + show(s.var) + ".");
}

// --- s1-xhat -------------------------------------------------------------------------------------------

struct XhatDraw {
    std::vector<Vec> rows;  // rows[n][c]: example n, feature c
    double eps = 0.1;
    std::size_t n = 0, c = 0;
    NumericGrading grading;
};

constexpr std::size_t kExamples = 4, kFeatures = 3;

XhatDraw draw_xhat(Rng& rng) {
    XhatDraw d;
    for (std::size_t n = 0; n < kExamples; ++n) d.rows.push_back(draw_integers(rng, kFeatures, 0, 9));
    // A large ε, so that where it sits (and whether it is there) changes the answer visibly.
    d.eps = draw_one_of(rng, {0.1, 0.25, 0.5});
    d.n = static_cast<std::size_t>(rng.integer(0, kExamples - 1));
    d.c = static_cast<std::size_t>(rng.integer(0, kFeatures - 1));
    Vec column, row = d.rows[d.n];
    for (const Vec& r : d.rows) column.push_back(r[d.c]);
    const double x = d.rows[d.n][d.c];
    const Statistics s = statistics(column);
    const Statistics wrong_axis = statistics(row);
    const Vec xhat = forward(column, 1.0, 0.0, d.eps).y;
    d.grading.tolerance = hand_tolerance();
    d.grading.fields = {{"xhat", "x̂", {xhat[d.n]}, false}};
    d.grading.variants = {
        {"unbiased_variance", {{(x - s.mean) / std::sqrt(s.var_unbiased + d.eps)}}},
        {"eps_outside_sqrt", {{(x - s.mean) / (std::sqrt(s.var) + d.eps)}}},
        {"eps_omitted", {{(x - s.mean) / std::sqrt(s.var)}}},
        {"wrong_axis_layernorm", {{(x - wrong_axis.mean) / std::sqrt(wrong_axis.var + d.eps)}}},
        {"var_instead_of_std", {{(x - s.mean) / (s.var + d.eps)}}},
    };
    return d;
}

Generated xhat(std::uint64_t seed) {
    Rng rng("s1-xhat", seed);
    const XhatDraw d = draw_until_distinguishable(rng, draw_xhat);
    Vec column;
    for (const Vec& r : d.rows) column.push_back(r[d.c]);
    const Statistics s = statistics(column);
    std::string table;
    for (std::size_t n = 0; n < kExamples; ++n) table += "\n  example " + std::to_string(n + 1) + ": " + show(d.rows[n]);
    const std::string where = "example " + std::to_string(d.n + 1) + ", feature " + std::to_string(d.c + 1);
    return numeric_exercise(
        "A dense layer's outputs for a batch of 4 examples and 3 features (one row per example):" + table +
            "\nWith ε = " + show(d.eps) + " (large on purpose, so that you can see its effect), what is x̂ for " +
            where + "?",
        {{"x", d.rows}, {"eps", d.eps}, {"example", d.n + 1}, {"feature", d.c + 1}}, d.grading,
        {"Batch norm normalises each feature separately, over the examples: use the column of feature " +
             std::to_string(d.c + 1) + ", not the row.",
         "Compute that column's μ_B and its biased variance σ²_B (divide by m = 4).",
         "x̂ = (x − μ_B)/√(σ²_B + ε), with ε inside the square root."},
        "Feature " + std::to_string(d.c + 1) + " over the batch is " + show(column) + ": μ_B = " + show(s.mean) +
            ", σ²_B = " + show(s.var) + ", so x̂ = (" + show(d.rows[d.n][d.c]) + " − " + show(s.mean) + ")/√(" +
            show(s.var) + " + " + show(d.eps) + ") = " + show(d.grading.fields[0].expected[0], 5) + ".");
}

// --- s1-formula ----------------------------------------------------------------------------------------

Generated formula(std::uint64_t) {
    FormulaGrading g;
    g.field = "xhat";
    g.label = "x̂";
    g.reference = [](const Variables& v) { return (v.x - v.mu) / std::sqrt(v.var + v.eps); };
    g.variants = {
        {"eps_outside_sqrt", [](const Variables& v) { return (v.x - v.mu) / (std::sqrt(v.var) + v.eps); }},
        {"eps_outside_sqrt", [](const Variables& v) { return (v.x - v.mu) / std::sqrt(v.var) + v.eps; }},
        {"eps_omitted", [](const Variables& v) { return (v.x - v.mu) / std::sqrt(v.var); }},
        {"var_instead_of_std", [](const Variables& v) { return (v.x - v.mu) / (v.var + v.eps); }},
        {"unbiased_variance",
         [](const Variables& v) { return (v.x - v.mu) / std::sqrt(v.var * v.m / (v.m - 1) + v.eps); }},
        {"y_instead_of_xhat",
         [](const Variables& v) { return v.gamma * (v.x - v.mu) / std::sqrt(v.var + v.eps) + v.beta; }},
    };
    Generated out;
    out.exercise = {
        {"prompt",
         "Type the formula for the normalised activation x̂_i in terms of x (for x_i), mu (μ_B), var (σ²_B) and "
         "eps (ε). Unicode works too: (x − μ)/√(σ² + ε). Any equivalent form is accepted."},
        {"data", json::object()},
        {"fields", json::array({{{"name", "xhat"}, {"label", "x̂"}, {"type", "formula"}}})},
        {"hints",
         {"First centre: subtract the batch mean from x.", "Then scale by one over the batch standard deviation.",
          "ε goes inside the square root, next to the variance: √(var + eps)."}},
        {"solution",
         {{"answer", {{"xhat", "(x - mu) / sqrt(var + eps)"}}},
          {"explanation",
           "x̂_i = (x_i − μ_B)/√(σ²_B + ε): centre with the batch mean, then divide by the batch standard "
           "deviation, with ε inside the root so that a batch with σ²_B = 0 does not divide by zero. "
           "(x − μ)·(σ² + ε)^(−1/2) is the same formula."}}},
        {"tolerance", {{"text", "equal to the reference at 64 random points (within 1e-9·(1 + |reference|))"}}}};
    out.grade = [g](const json& answer) { return grade_formula(answer, g); };
    return out;
}

// --- s1-constant-batch ---------------------------------------------------------------------------------

Generated constant_batch(std::uint64_t seed) {
    Rng rng("s1-constant-batch", seed);
    const double c = static_cast<double>(rng.integer(1, 9));
    const Vec x(4, c);
    const std::vector<Option> options = {
        {"a", "x̂ = 0 for every element: each x − μ_B is 0, and ε keeps the denominator √(σ²_B + ε) at √ε.",
         true, "μ_B = " + show(c) + ", σ²_B = 0, so x̂ = 0/√ε = 0. Without ε this would be 0/0."},
        {"b", "x̂ is NaN for every element: σ²_B = 0, and ε only matters when the variance is small but not 0.", false,
         "ε is added whatever the variance is: with it the denominator is √ε ≈ 0.00316, and 0/√ε = 0."},
        {"c", "x̂ = 1 for every element: each value equals μ_B, and ε only stops the ratio from being 0/0.", false,
         "Equal to the mean means a deviation of 0, and 0 divided by anything non-zero is 0."},
        {"d", "x̂ = " + show(c) + "/√ε ≈ " + show(c / std::sqrt(1e-5), 4) + " for every element: ε turns the zero spread into √ε.", false,
         "The denominator is √ε indeed, but the numerator is x − μ_B = 0, not x."},
    };
    return choice_exercise(
        "Your batch is constant: x = " + show(x) + ", with ε = 1e-5. What does batch norm compute for x̂, and "
        "what is ε for?",
        {{"x", x}, {"eps", 1e-5}}, options, false,
        {"What is μ_B of a constant batch, and what is x − μ_B?", "What is σ²_B, and what is √(σ²_B + ε) then?"},
        "μ_B = " + show(c) + " and σ²_B = 0, so x̂ = 0/√(0 + ε) = 0: ε exists precisely so that this division is "
        "defined (and that small variances do not blow x̂ up).");
}

}  // namespace

std::vector<ExerciseDefinition> step1_exercises() {
    return {
        {"s1-mean-var", 1, "Mean and variance of your batch", "numeric", mean_var, true},
        {"s1-xhat", 1, "Normalise one element", "numeric", xhat, true},
        {"s1-formula", 1, "Type the formula for x̂", "formula", formula},
        {"s1-constant-batch", 1, "A constant batch, and why ε", "choice", constant_batch, true},
    };
}

}  // namespace bnkata::exercises
