// step5_verification.cpp — Step 5 of the kata: implement batch norm and verify it.
//
//   s5-forward-code   write the kata's batch_norm_forward in the page's editor (run on hidden cases)
//   s5-numpy-paste    or run your NumPy version on the page's batch and paste what it printed
//   s5-backward-code  the backward pass, checked against the core and a finite-difference gradient check
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

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
        {"the kata's example", {1, 2, 3, 4}, 1.0, 0.0, 1e-5},
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
    "  // Return { y: [...], mean: μ_B, var: σ²_B } — like the kata's batch_norm_forward.\n"
    "  const m = x.length;\n"
    "\n"
    "}\n";

Generated forward_code(std::uint64_t seed) {
    const std::vector<ForwardCase> cases = forward_cases(seed);
    json cases_json = json::array();
    for (const ForwardCase& c : cases) cases_json.push_back(case_json(c));
    return code_exercise(
        "Write the kata's batch_norm_forward in JavaScript: given one feature's values x over the batch, γ, β "
        "and ε, return y = γ·x̂ + β together with the batch mean and the (biased) batch variance. It runs on "
        "six cases, including a constant batch, a batch of two, values near 1e8 and a negative γ.",
        {"batch_norm_forward", {"x", "gamma", "beta", "eps"}, {"y", "mean", "var"}}, kForwardStarter, cases_json,
        {"Two passes: first the mean, then the mean of squared deviations from it. (One pass with E[x²] − E[x]² "
         "loses every digit at 1e8.)",
         "Divide by m, not m − 1; put ε inside the square root.",
         "A constant batch must give y = β everywhere, not NaN."},
        "function batch_norm_forward(x, gamma, beta, eps) {\n"
        "  const m = x.length;\n"
        "  const mean = x.reduce((s, v) => s + v, 0) / m;\n"
        "  const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / m;  // biased, two-pass\n"
        "  const rstd = 1 / Math.sqrt(variance + eps);\n"
        "  const y = x.map(v => gamma * (v - mean) * rstd + beta);\n"
        "  return { y, mean, var: variance };\n"
        "}\n",
        "Mean first, then the biased variance from squared deviations (two passes, so 1e8 + small values keep "
        "their digits), then x̂ = (x − μ)/√(σ² + ε) and y = γ·x̂ + β.",
        forward_tolerance().to_json(), [cases](const json& answer) { return grade_forward_code(answer, cases); });
}

// --- s5-var-predict -----------------------------------------------------------------------------------

Generated var_predict(std::uint64_t) {
    // The kata's own example, so the prediction is about the printout the lesson shows next.
    const Vec x = {1, 2, 3, 4};
    const double eps = 1e-5;
    const Statistics xs = statistics(x);
    const Statistics normalized = statistics(forward(x, 1, 0, eps).y);
    const std::vector<Option> options = {
        {"a", "About 0.999992: dividing by √(σ²_B + ε) scales the variance by σ²_B/(σ²_B + ε), a bit below 1.", true,
         "var(x̂) = σ²_B/(σ²_B + ε) = 1.25/1.25001 ≈ " + show(normalized.var, 10) +
             ": ε is the reason. The gap from 1 is ε/(σ²_B + ε), tiny when σ²_B ≫ ε."},
        {"b", "Exactly 1.0: dividing by the standard deviation always leaves variance 1, ε only prevents 0/0.", false,
         "ε is added to every variance, not only to a zero one, so the divisor is √(1.25 + 0.00001), slightly "
         "larger than the standard deviation."},
        {"c", "About 0.9999999999999998: it is 1 in exact arithmetic, and floating-point rounding leaves a trace.", false,
         "Rounding errors are about 1e-16; the printed gap is about 8e-6, far larger, and it comes from ε."},
        {"d", "About 1.333323: np.var divides by m − 1, so the variance printed is m/(m − 1) times the true one.", false,
         "np.var divides by m (ddof = 0 by default); dividing by m − 1 would give " +
             show(normalized.var * 4 / 3, 7) + "."},
    };
    return choice_exercise(
        "The kata's script normalises x = [1, 2, 3, 4] (σ²_B = " + show(xs.var) + ") with γ = 1, β = 0 and "
        "ε = 1e-5, then prints np.var(normalized_x). Before you look: what does it print, and why?",
        {{"x", x}, {"eps", eps}}, options, false,
        {"The denominator is √(σ²_B + ε), not √σ²_B. What does dividing by it do to the variance?",
         "var(x̂) = σ²_B/(σ²_B + ε). Put in σ²_B = 1.25 and ε = 0.00001."},
        "var(x̂) = σ²_B/(σ²_B + ε) = 1.25/1.25001 = 0.999992000064…, which NumPy prints as 0.9999920000639994. "
        "Not 1, because of ε.");
}

// --- s5-numpy-paste ------------------------------------------------------------------------------------

struct PasteDraw {
    Vec x;
    double gamma = 1, beta = 0;
    NumericGrading grading;
};

Tolerance paste_tolerance() { return Tolerance{1e-7, 1e-7}; }

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

// A float as Python prints it (repr): the shortest digits that read back as the same double, "0.5", "2.0".
std::string python_float(double v) {
    char buf[40];
    for (int digits = 1; digits <= 17; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    std::string s = buf;
    if (s.find_first_of(".en") == std::string::npos) s += ".0";
    return s;
}

// The number printed after `label` ("Mean:", "Var:") that follows the graded array (the one after
// "Normalized y:", else the last one printed), or nothing.
std::optional<double> printed_number_after(const std::string& text, const std::string& label) {
    const auto y_label = text.find("Normalized y:");
    const auto array_end = y_label != std::string::npos ? text.find(']', y_label) : text.rfind(']');
    const auto at = text.find(label, array_end == std::string::npos ? 0 : array_end);
    if (at == std::string::npos) return std::nullopt;
    const char* start = text.c_str() + at + label.size();
    char* end = nullptr;
    const double v = std::strtod(start, &end);
    if (end == start) return std::nullopt;
    return v;
}

Generated numpy_paste(std::uint64_t seed) {
    Rng rng("s5-numpy-paste", seed);
    const PasteDraw d = draw_until_distinguishable(rng, draw_paste);
    // What np.mean and np.var of the right y are: β, and γ²σ²/(σ² + ε).
    const Statistics of_y = statistics(d.grading.fields[0].expected);
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
         {{"answer", {{"numpy_output", "Normalized y: " + print_numpy_array(d.grading.fields[0].expected) + ", Mean: " +
                                           python_float(of_y.mean) + ", Var: " + python_float(of_y.var)}}},
          {"explanation",
           "The kata's batch_norm_forward gives y = γ·(x − μ_B)/√(σ²_B + ε) + β = " +
               show(d.grading.fields[0].expected, 9) + "; its mean is β = " + show(d.beta) +
               " and its variance γ²·σ²_B/(σ²_B + ε) = " + show(of_y.var, 9) + " (not γ², because of ε)."}}},
        {"tolerance", d.grading.tolerance.to_json()}};
    const NumericGrading grading = d.grading;
    g.grade = [grading, of_y](const json& answer) -> json {
        const std::string& tol = grading.tolerance.text;
        const auto it = answer.find("numpy_output");
        if (it == answer.end() || it->is_null() || (it->is_string() && it->get<std::string>().find_first_not_of(" \t\r\n") == std::string::npos))
            return verdict_json(Verdict::not_attempted, "Paste what your script printed.", tol);
        if (!it->is_string()) return verdict_json(Verdict::invalid, "The pasted output should be text.", tol);
        const std::string text = it->get<std::string>();
        const PrintedArray printed = read_printed_array(text, "Normalized y:");
        if (!printed.error.empty()) {
            json r = verdict_json(Verdict::invalid, "The pasted output: " + printed.error, tol);
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
        if (r["verdict"] == "invalid") r["message"] = "The pasted array should have " + std::to_string(grading.fields[0].expected.size()) +
                                                      " numbers; it has " + std::to_string(printed.values.size()) + ".";
        r["read"] = printed.values;
        if (r["verdict"] != "correct") return r;
        // y is right; the printed Mean and Var are the step's point (mean β, variance just under γ²).
        const auto mean = printed_number_after(text, "Mean:");
        const auto var = printed_number_after(text, "Var:");
        if (!mean || !var) {
            r = verdict_json(Verdict::invalid, "Your y is right. Paste the whole printed line: the Mean and Var after the array are checked too.", tol);
        } else if (!grading.tolerance.accepts(*mean, of_y.mean) || !grading.tolerance.accepts(*var, of_y.var)) {
            r = verdict_json(Verdict::incorrect, "Your y is right, but the printed Mean " + python_float(*mean) + " and Var " +
                                                     python_float(*var) + " should be " + python_float(of_y.mean) + " (β) and " +
                                                     python_float(of_y.var) + " (γ²·σ²_B/(σ²_B + ε)).", tol);
        } else {
            r["message"] = "Correct: y, its mean (β) and its variance (γ²·σ²_B/(σ²_B + ε), just under γ²) all match.";
        }
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
        {"the kata's example", {1, 2, 3, 4}, {0.1, -0.2, 0.3, 0.05}, 1.0, 0.0, 1e-5},
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
    return code_exercise(
        "Write batch_norm_backward: given dy = ∂loss/∂y and the forward pass's inputs, return dx, dγ and dβ. "
        "Each case is checked against the core's closed-form gradient (cs231n's relative error ≤ 1e-7), and your "
        "dx is also compared with central differences of the forward pass (a gradient check).",
        {"batch_norm_backward", {"dy", "x", "gamma", "beta", "eps"}, {"dx", "dgamma", "dbeta"}}, kBackwardStarter,
        cases_json,
        {"dβ = Σ dy and dγ = Σ dy·x̂ (recompute x̂ from x, μ_B and σ²_B).",
         "μ_B and σ²_B depend on every x_i: the gradient flows through them too.",
         "dx = γ/√(σ² + ε) · (dy − mean(dy) − x̂·mean(dy·x̂))."},
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
        "}\n",
        "With x̂ = (x − μ)·rstd and y = γx̂ + β: dβ = Σ dy, dγ = Σ dy·x̂, and, through x̂, μ_B and σ²_B, "
        "dx = γ·rstd·(dy − mean(dy) − x̂·mean(dy·x̂)). The two subtracted terms are the paths through μ_B and σ²_B.",
        {{"text", "cs231n relative error ≤ 1e-7 on dx, dγ and dβ"}},
        [cases](const json& answer) { return grade_backward_code(answer, cases); });
}

}  // namespace

std::vector<ExerciseDefinition> step5_exercises() {
    return {
        {"s5-var-predict", 5, "Predict: the variance of the normalized batch", "choice", var_predict, true},
        {"s5-forward-code", 5, "Write batch_norm_forward", "code", forward_code, true},
        {"s5-numpy-paste", 5, "Paste your NumPy output", "paste", numpy_paste},
        {"s5-backward-code", 5, "Write the backward pass", "code", backward_code},
    };
}

}  // namespace bnkata::exercises
