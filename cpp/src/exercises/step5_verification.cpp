// step5_verification.cpp — Step 5 of the kata: implement batch norm and verify it.
//
//   s5-forward-code   write the seed's batch_norm_forward in the page's editor (run on hidden cases)
//   s5-numpy-paste    or run your NumPy version on the page's batch and paste what it printed
//   s5-backward-code  the backward pass, checked against the core and a finite-difference gradient check
#include <cmath>
#include <cstdio>

#include "bnkata/exercises/authoring.hpp"
#include "bnkata/exercises/code_grading.hpp"
#include "bnkata/exercises/numpy_print.hpp"

namespace bnkata::exercises {

namespace {

// The cases every implementation must survive, one per pitfall (named in the report the learner sees).
std::vector<ForwardCase> forward_cases(std::uint64_t seed) {
    Rng rng("s5-forward-code", seed);
    const Vec yours = draw_tenths(rng, 6, -30, 30);
    const double gamma = draw_tenths(rng, 1, 5, 20)[0];
    const double beta = draw_tenths(rng, 1, -10, 10)[0];
    const double c = static_cast<double>(rng.integer(1, 9));
    const double a = static_cast<double>(rng.integer(-5, 5));
    const double b = a + static_cast<double>(rng.integer(1, 6));
    Vec offset = {0.5, -1.5, 2.0, 0.25, -0.75, 1.0};  // multiples of 1/4: exact at 1e8 in double
    for (double& v : offset) v += 1e8;
    return {
        {"the seed's example", {1, 2, 3, 4}, 1.0, 0.0, 1e-5},
        {"your batch", yours, gamma, beta, 1e-5},
        {"constant batch", Vec(5, c), 1.5, 0.5, 1e-5},
        {"batch of two", {a, b}, 2.0, -1.0, 1e-5},
        {"1e8 offset", offset, 1.0, 0.0, 1e-5},
        {"negative γ", draw_integers(rng, 5, 0, 9), -2.0, 0.5, 1e-5},
    };
}

const char* kForwardStarter =
    "function batch_norm_forward(x, gamma, beta, eps) {\n"
    "  // x: the batch's values of one feature (an array of numbers); gamma, beta, eps: numbers.\n"
    "  // Return { y: [...], mean: μ_B, var: σ²_B } — like the seed's batch_norm_forward.\n"
    "  const m = x.length;\n"
    "\n"
    "}\n";

Generated forward_code(std::uint64_t seed) {
    const std::vector<ForwardCase> cases = forward_cases(seed);
    json cases_json = json::array();
    for (const ForwardCase& c : cases) cases_json.push_back(case_json(c));
    Generated g;
    g.exercise = {
        {"prompt",
         "Write the seed's batch_norm_forward in JavaScript: given one feature's values x over the batch, γ, β "
         "and ε, return y = γ·x̂ + β together with the batch mean and the (biased) batch variance. It runs on "
         "six cases, including a constant batch, a batch of two, values near 1e8 and a negative γ."},
        {"data", json::object()},
        {"function", {{"name", "batch_norm_forward"}, {"params", {"x", "gamma", "beta", "eps"}}, {"returns", {"y", "mean", "var"}}}},
        {"starter", kForwardStarter},
        {"cases", cases_json},
        {"fields", json::array({{{"name", "outputs"}, {"label", "Your function's results, one per case"}, {"type", "code"}}})},
        {"hints",
         {"Two passes: first the mean, then the mean of squared deviations from it. (One pass with E[x²] − E[x]² "
          "loses every digit at 1e8.)",
          "Divide by m, not m − 1; put ε inside the square root.",
          "A constant batch must give y = β everywhere, not NaN."}},
        {"solution",
         {{"answer",
           {{"code",
             "function batch_norm_forward(x, gamma, beta, eps) {\n"
             "  const m = x.length;\n"
             "  const mean = x.reduce((s, v) => s + v, 0) / m;\n"
             "  const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / m;  // biased, two-pass\n"
             "  const rstd = 1 / Math.sqrt(variance + eps);\n"
             "  const y = x.map(v => gamma * (v - mean) * rstd + beta);\n"
             "  return { y, mean, var: variance };\n"
             "}\n"}}},
          {"explanation",
           "Mean first, then the biased variance from squared deviations (two passes, so 1e8 + small values keep "
           "their digits), then x̂ = (x − μ)/√(σ² + ε) and y = γ·x̂ + β."}}},
        {"tolerance", forward_tolerance().to_json()}};
    g.grade = [cases](const json& answer) { return grade_forward_code(answer, cases); };
    return g;
}

// --- s5-numpy-paste ------------------------------------------------------------------------------------

struct PasteDraw {
    Vec x;
    double gamma = 1, beta = 0;
    NumericGrading grading;
};

Tolerance paste_tolerance() { return Tolerance{1e-7, 1e-7, "within 1e-7 (NumPy prints 8 decimals)"}; }

PasteDraw draw_paste(Rng& rng) {
    PasteDraw d;
    d.x = draw_tenths(rng, 6, -15, 15);
    d.gamma = draw_tenths(rng, 1, 5, 20)[0];
    d.beta = draw_tenths(rng, 1, -10, 10)[0];
    const double eps = 1e-5;
    const Statistics s = statistics(d.x);
    auto map = [&](auto f) {
        Vec y;
        for (double v : d.x) y.push_back(f(v));
        return y;
    };
    const double g = d.gamma, b = d.beta, m = s.mean;
    d.grading.tolerance = paste_tolerance();
    d.grading.fields = {{"y", "Normalized y", forward(d.x, g, b, eps).y, true}};
    d.grading.variants = {
        {"unbiased_variance", {map([&](double v) { return g * (v - m) / std::sqrt(s.var_unbiased + eps) + b; })}},
        {"eps_omitted", {map([&](double v) { return g * (v - m) / std::sqrt(s.var) + b; })}},
        {"eps_outside_sqrt", {map([&](double v) { return g * (v - m) / (std::sqrt(s.var) + eps) + b; })}},
        {"var_instead_of_std", {map([&](double v) { return g * (v - m) / (s.var + eps) + b; })}},
        {"forgot_beta", {map([&](double v) { return g * (v - m) / std::sqrt(s.var + eps); })}},
        {"forgot_gamma", {map([&](double v) { return (v - m) / std::sqrt(s.var + eps) + b; })}},
    };
    return d;
}

std::string python_list(const Vec& x) {
    std::string s = "[";
    for (std::size_t i = 0; i < x.size(); ++i) {
        std::string v = show(x[i]);
        if (v.rfind("\u2212", 0) == 0) v = "-" + v.substr(3);  // Python wants ASCII minus
        s += (i ? ", " : "") + v;
    }
    return s + "]";
}

Generated numpy_paste(std::uint64_t seed) {
    Rng rng("s5-numpy-paste", seed);
    const PasteDraw d = draw_until_distinguishable(rng, draw_paste);
    auto ascii = [](double v) {
        std::string s = show(v);
        return s.rfind("\u2212", 0) == 0 ? "-" + s.substr(3) : s;
    };
    const std::string script =
        "import numpy as np\n\n"
        "# your batch_norm_forward(x_batch, gamma, beta, epsilon=1e-5) from the kata goes here\n\n"
        "x = np.array(" + python_list(d.x) + ")\n"
        "normalized_x, mean, var = batch_norm_forward(x, " + ascii(d.gamma) + ", " + ascii(d.beta) + ")\n"
        "print(f\"Normalized y: {normalized_x}, Mean: {np.mean(normalized_x)}, Var: {np.var(normalized_x)}\")\n";
    Generated g;
    g.exercise = {
        {"prompt",
         "Working in Python? Run your NumPy batch_norm_forward on this batch with γ = " + show(d.gamma) + " and β = " +
             show(d.beta) + " (ε = 1e-5), using the script below, and paste what it printed."},
        {"data", {{"x", d.x}, {"gamma", d.gamma}, {"beta", d.beta}, {"eps", 1e-5}, {"script", script}}},
        {"fields", json::array({{{"name", "numpy_output"}, {"label", "What your script printed"}, {"type", "text"}}})},
        {"hints",
         {"Copy the whole printed line; the page reads the array after \"Normalized y:\".",
          "np.var divides by m (ddof = 0) — that is the variance batch norm uses.",
          "ε goes inside the square root: np.sqrt(var_b + epsilon)."}},
        {"solution",
         {{"answer", {{"numpy_output", "Normalized y: " + print_numpy_array(d.grading.fields[0].expected)}}},
          {"explanation",
           "The seed's batch_norm_forward prints y = γ·(x − μ_B)/√(σ²_B + ε) + β = " +
               show(d.grading.fields[0].expected, 9) + "."}}},
        {"tolerance", d.grading.tolerance.to_json()}};
    const NumericGrading grading = d.grading;
    g.grade = [grading](const json& answer) -> json {
        const std::string& tol = grading.tolerance.text;
        const auto it = answer.find("numpy_output");
        if (it == answer.end() || it->is_null() || (it->is_string() && it->get<std::string>().find_first_not_of(" \t\r\n") == std::string::npos))
            return verdict_json(Verdict::not_attempted, "Paste what your script printed.", tol);
        if (!it->is_string()) return verdict_json(Verdict::invalid, "numpy_output: expected the printed text", tol);
        const PrintedArray printed = read_printed_array(it->get<std::string>(), "Normalized y:");
        if (!printed.error.empty()) {
            json r = verdict_json(Verdict::invalid, "numpy_output: " + printed.error, tol);
            r["fields"] = {{"numpy_output", {{"verdict", "invalid"}, {"message", printed.error}}}};
            return r;
        }
        for (double v : printed.values) {
            if (!std::isfinite(v)) {
                json r = verdict_json(Verdict::incorrect, "Your output contains nan or inf: something divided by zero.", tol);
                r["read"] = printed.values;
                return r;
            }
        }
        json r = grade_numeric(json{{"y", printed.values}}, grading);
        r["fields"] = {{"numpy_output", r["fields"]["y"]}};
        if (r["verdict"] == "invalid") r["message"] = "numpy_output: expected " + std::to_string(grading.fields[0].expected.size()) +
                                                      " numbers in the printed array, found " + std::to_string(printed.values.size());
        r["read"] = printed.values;
        return r;
    };
    return g;
}

// --- s5-backward-code ----------------------------------------------------------------------------------

std::vector<BackwardCase> backward_cases(std::uint64_t seed) {
    Rng rng("s5-backward-code", seed);
    const double c = static_cast<double>(rng.integer(1, 9));
    const double a = static_cast<double>(rng.integer(-5, 5));
    const double b = a + static_cast<double>(rng.integer(1, 6));
    std::vector<BackwardCase> cases = {
        {"the seed's example", {1, 2, 3, 4}, {0.1, -0.2, 0.3, 0.05}, 1.0, 0.0, 1e-5},
        {"your batch", draw_tenths(rng, 6, -30, 30), draw_tenths(rng, 6, -10, 10), draw_tenths(rng, 1, 5, 20)[0],
         draw_tenths(rng, 1, -10, 10)[0], 1e-5},
        {"constant batch", Vec(4, c), draw_tenths(rng, 4, -10, 10), 1.5, 0.5, 1e-5},
        {"batch of two", {a, b}, draw_tenths(rng, 2, -10, 10), 2.0, -1.0, 1e-5},
        {"negative γ", draw_integers(rng, 5, 0, 9), draw_tenths(rng, 5, -10, 10), -1.5, 0.5, 1e-5},
    };
    return cases;
}

const char* kBackwardStarter =
    "function batch_norm_backward(dy, x, gamma, beta, eps) {\n"
    "  // dy: ∂loss/∂y for each value of x; x, gamma, beta, eps: as in the forward pass.\n"
    "  // Return { dx: [...], dgamma: number, dbeta: number }.\n"
    "\n"
    "}\n";

Generated backward_code(std::uint64_t seed) {
    const std::vector<BackwardCase> cases = backward_cases(seed);
    json cases_json = json::array();
    for (const BackwardCase& c : cases) cases_json.push_back(case_json(c));
    Generated g;
    g.exercise = {
        {"prompt",
         "Write batch_norm_backward: given dy = ∂loss/∂y and the forward pass's inputs, return dx, dγ and dβ. "
         "Each case is checked against the core's closed-form gradient (cs231n's relative error ≤ 1e-7), and your "
         "dx is also compared with central differences of the forward pass (a gradient check)."},
        {"data", json::object()},
        {"function", {{"name", "batch_norm_backward"}, {"params", {"dy", "x", "gamma", "beta", "eps"}}, {"returns", {"dx", "dgamma", "dbeta"}}}},
        {"starter", kBackwardStarter},
        {"cases", cases_json},
        {"fields", json::array({{{"name", "outputs"}, {"label", "Your function's results, one per case"}, {"type", "code"}}})},
        {"hints",
         {"dβ = Σ dy and dγ = Σ dy·x̂ (recompute x̂ from x, μ_B and σ²_B).",
          "μ_B and σ²_B depend on every x_i: the gradient flows through them too.",
          "dx = γ/√(σ² + ε) · (dy − mean(dy) − x̂·mean(dy·x̂))."}},
        {"solution",
         {{"answer",
           {{"code",
             "function batch_norm_backward(dy, x, gamma, beta, eps) {\n"
             "  const m = x.length;\n"
             "  const mean = x.reduce((s, v) => s + v, 0) / m;\n"
             "  const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / m;\n"
             "  const rstd = 1 / Math.sqrt(variance + eps);\n"
             "  const xhat = x.map(v => (v - mean) * rstd);\n"
             "  const dbeta = dy.reduce((s, v) => s + v, 0);\n"
             "  const dgamma = dy.reduce((s, v, i) => s + v * xhat[i], 0);\n"
             "  const dx = dy.map((v, i) => gamma * rstd * (v - dbeta / m - xhat[i] * dgamma / m));\n"
             "  return { dx, dgamma, dbeta };\n"
             "}\n"}}},
          {"explanation",
           "With x̂ = (x − μ)·rstd and y = γx̂ + β: dβ = Σ dy, dγ = Σ dy·x̂, and, through x̂, μ_B and σ²_B, "
           "dx = γ·rstd·(dy − mean(dy) − x̂·mean(dy·x̂)). The two subtracted terms are the paths through μ_B and σ²_B."}}},
        {"tolerance", {{"text", "cs231n relative error ≤ 1e-7 on dx, dγ and dβ"}}}};
    g.grade = [cases](const json& answer) { return grade_backward_code(answer, cases); };
    return g;
}

}  // namespace

std::vector<ExerciseDefinition> step5_exercises() {
    return {
        {"s5-forward-code", 5, "Write batch_norm_forward", "code", forward_code},
        {"s5-numpy-paste", 5, "Paste your NumPy output", "paste", numpy_paste},
        {"s5-backward-code", 5, "Write the backward pass", "code", backward_code},
    };
}

}  // namespace bnkata::exercises
