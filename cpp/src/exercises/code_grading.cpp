// code_grading.cpp — the test runner for the learner's forward and backward code (see code_grading.hpp).
#include "bnkata/exercises/code_grading.hpp"

#include "bnkata/json_fields.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "bnkata/gradient_check.hpp"

namespace bnkata::exercises {

json case_json(const ForwardCase& c) {
    return {{"name", c.name}, {"x", c.x}, {"gamma", c.gamma}, {"beta", c.beta}, {"eps", c.eps}};
}

json case_json(const BackwardCase& c) {
    return {{"name", c.name}, {"x", c.x}, {"gamma", c.gamma}, {"beta", c.beta}, {"eps", c.eps}, {"dy", c.dy}};
}

json case_json(const TrainEvalCase& c) {
    return {{"name", c.name}, {"x", c.x}, {"gamma", c.gamma}, {"beta", c.beta},
            {"state", {{"running_mean", c.running_mean}, {"running_var", c.running_var}}},
            {"mode", c.train ? "train" : "eval"}, {"momentum", c.momentum}};
}

Tolerance forward_tolerance() { return Tolerance{1e-6, 1e-6}; }

double relative_error(const Vec& a, const Vec& b) {
    if (a.size() != b.size()) return HUGE_VAL;
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double e = std::fabs(a[i] - b[i]) / std::max(1e-8, std::fabs(a[i]) + std::fabs(b[i]));
        if (std::isnan(e)) return HUGE_VAL;
        worst = std::max(worst, e);
    }
    return worst;
}

namespace {

constexpr std::size_t kMaxMessage = 300;

// What one case returned, read leniently (null is NaN) and with a message for what is missing.
struct Returned {
    bool usable = false;  // the values below are filled
    std::string problem;  // why the case failed before any comparison
    json raw;             // what came back, for the report
};

std::string clip(const std::string& s) { return shorten(s, kMaxMessage); }

// One number as the page's runner sends it: JSON has no NaN or ±∞, so the runner sends them as the
// strings "NaN", "Infinity" and "-Infinity" (and answers files exported before that hold null for NaN).
std::optional<double> sent_number(const json& v) {
    if (v.is_number()) return v.get<double>();
    if (v.is_null() || v == "NaN") return std::nan("");
    if (v == "Infinity") return HUGE_VAL;
    if (v == "-Infinity") return -HUGE_VAL;
    return std::nullopt;
}

// Reads o[key] as a number. Returns nothing and sets problem when absent or not a number.
std::optional<double> returned_number(const json& o, const char* key, std::string& problem) {
    const auto it = o.find(key);
    if (it == o.end()) {
        problem = std::string("returned no ") + key;
        return std::nullopt;
    }
    const std::optional<double> value = sent_number(*it);
    if (!value) problem = std::string(key) + " is not a number";
    return value;
}

std::optional<Vec> returned_vector(const json& o, const char* key, std::size_t length, std::string& problem) {
    const auto it = o.find(key);
    if (it == o.end()) {
        problem = std::string("returned no ") + key;
        return std::nullopt;
    }
    if (!it->is_array()) {
        problem = std::string(key) + " is not an array";
        return std::nullopt;
    }
    if (it->size() != length) {
        problem = std::string(key) + " has " + std::to_string(it->size()) + " entries, expected " + std::to_string(length);
        return std::nullopt;
    }
    Vec v;
    for (const json& e : *it) {
        const std::optional<double> value = sent_number(e);
        if (!value) {
            problem = std::string(key) + " holds something that is not a number";
            return std::nullopt;
        }
        v.push_back(*value);
    }
    return v;
}

// A case's failure before comparison: an exception, a timeout, or a malformed result.
std::optional<std::string> runtime_problem(const json& o) {
    if (!o.is_object()) return std::string("returned nothing usable");
    const auto timeout = o.find("timeout");
    if (timeout != o.end() && timeout->is_boolean() && timeout->get<bool>())
        return std::string("timed out (an endless loop?)");
    const auto error = o.find("error");
    if (error != o.end()) {
        return "threw an error: " + clip(error->is_string() ? error->get<std::string>() : to_text(*error));
    }
    return std::nullopt;
}

bool same(const Tolerance& t, double got, double want) {
    if (std::isnan(want)) return std::isnan(got);
    return t.accepts(got, want);
}

bool all_same(const Tolerance& t, const Vec& got, const Vec& want) {
    if (got.size() != want.size()) return false;
    for (std::size_t i = 0; i < got.size(); ++i)
        if (!same(t, got[i], want[i])) return false;
    return true;
}

bool distinguishable(const Tolerance& t, const Vec& a, const Vec& b) {
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
        if (t.distinguishes(a[i], b[i])) return true;
    return false;
}

json stats_json(const Vec& v) {
    const Statistics s = statistics(v);
    return {{"mean", s.mean}, {"var", s.var}};
}

// The verdict when every case passed: each case's result, and no first failure.
json all_cases_passed(json case_results, const std::string& tol) {
    json r = verdict_json(Verdict::correct, "All " + std::to_string(case_results.size()) + " cases pass.", tol);
    r["cases"] = std::move(case_results);
    r["first_failure"] = nullptr;
    return r;
}

// Reads the shared "outputs" list; returns an early verdict (not attempted / invalid) when it cannot.
std::optional<json> read_outputs(const json& answer, std::size_t cases, const json*& outputs, const std::string& tol) {
    const auto it = answer.find("outputs");
    if (it == answer.end() || it->is_null() || (it->is_array() && it->empty()))
        return verdict_json(Verdict::not_attempted, "Run your code on the cases first.", tol);
    if (!it->is_array())
        return verdict_json(Verdict::invalid, std::string("outputs: expected a list, got ") + it->type_name(), tol);
    if (it->size() != cases)
        return verdict_json(Verdict::invalid, "outputs: expected " + std::to_string(cases) +
                                                  " results (one per case), got " + std::to_string(it->size()), tol);
    outputs = &*it;
    return std::nullopt;
}

// --- Forward ---------------------------------------------------------------------------------------------

struct ForwardGot {
    Vec y;
    double mean = 0, var = 0;
};

// What a known mistake's forward pass returns for this case (y only; that is what the mistakes change).
std::vector<std::pair<std::string, Vec>> forward_variants(const ForwardCase& c) {
    const Statistics s = statistics(c.x);
    auto map = [&](auto f) {
        Vec y;
        for (double v : c.x) y.push_back(f(v));
        return y;
    };
    const double g = c.gamma, b = c.beta, e = c.eps, m = s.mean;
    return {
        {"unbiased_variance", map([&](double v) { return g * (v - m) / std::sqrt(s.var_unbiased + e) + b; })},
        {"eps_omitted", map([&](double v) { return g * (v - m) / std::sqrt(s.var) + b; })},
        {"eps_outside_sqrt", map([&](double v) { return g * (v - m) / (std::sqrt(s.var) + e) + b; })},
        {"var_instead_of_std", map([&](double v) { return g * (v - m) / (s.var + e) + b; })},
        {"forgot_beta", map([&](double v) { return g * (v - m) / std::sqrt(s.var + e); })},
        {"forgot_gamma", map([&](double v) { return (v - m) / std::sqrt(s.var + e) + b; })},
    };
}

json forward_trace(const ForwardCase& c, const std::optional<ForwardGot>& got) {
    // The reference stages are the core's own (forward_stages.hpp), the ones the lesson's step 5 shows.
    json trace = json::array();
    for (const Stage& stage : forward_stages(c.x, c.gamma, c.beta, c.eps))
        trace.push_back({{"stage", stage.name}, {"mean", stage.mean}, {"var", stage.var}});
    if (got) {
        Vec got_centred, got_xhat;
        for (std::size_t i = 0; i < c.x.size(); ++i) {
            got_centred.push_back(c.x[i] - got->mean);
            got_xhat.push_back((got->y[i] - c.beta) / c.gamma);
        }
        trace[0]["got_mean"] = got->mean;
        trace[0]["got_var"] = got->var;
        const json gc = stats_json(got_centred), gx = stats_json(got_xhat), gy = stats_json(got->y);
        trace[1]["got_mean"] = gc["mean"];
        trace[1]["got_var"] = gc["var"];
        trace[2]["got_mean"] = gx["mean"];
        trace[2]["got_var"] = gx["var"];
        trace[3]["got_mean"] = gy["mean"];
        trace[3]["got_var"] = gy["var"];
    }
    return trace;
}

}  // namespace

json grade_forward_code(const json& answer, const std::vector<ForwardCase>& cases) {
    const Tolerance tol = forward_tolerance();
    const json* outputs = nullptr;
    if (auto early = read_outputs(answer, cases.size(), outputs, tol.text)) return *early;

    json case_results = json::array();
    std::optional<std::size_t> first_failure;
    json failure;
    std::optional<ForwardGot> failure_got;
    for (std::size_t k = 0; k < cases.size(); ++k) {
        const ForwardCase& c = cases[k];
        const json& o = (*outputs)[k];
        const Forward ref = forward(c.x, c.gamma, c.beta, c.eps);
        std::string problem;
        std::optional<ForwardGot> got;
        if (auto p = runtime_problem(o)) {
            problem = *p;
        } else {
            const auto y = returned_vector(o, "y", c.x.size(), problem);
            const auto mean = y ? returned_number(o, "mean", problem) : std::nullopt;
            const auto var = mean ? returned_number(o, "var", problem) : std::nullopt;
            if (var) {
                got = ForwardGot{*y, *mean, *var};
                if (!all_same(tol, got->y, ref.y)) problem = "y differs from the expected output";
                else if (!same(tol, got->mean, ref.mean)) problem = "mean differs from μ_B";
                else if (!same(tol, got->var, ref.var)) problem = "var differs from σ²_B (the biased variance)";
            }
        }
        const bool passed = problem.empty();
        json entry = {{"name", c.name}, {"passed", passed}};
        if (!passed) entry["message"] = problem;
        case_results.push_back(entry);
        if (!passed && !first_failure) {
            first_failure = k;
            failure_got = got;
            failure = {{"case", c.name},
                       {"input", case_json(c)},
                       {"expected", {{"y", ref.y}, {"mean", ref.mean}, {"var", ref.var}}},
                       {"got", o.is_object() ? o : json{{"value", o}}},
                       {"message", problem},
                       {"trace", forward_trace(c, got)}};
        }
    }
    if (!first_failure) return all_cases_passed(std::move(case_results), tol.text);

    // Name the mistake: a known wrong formula that reproduces the failing output, or the one-pass variance
    // when only the 1e8-offset case fails (the cancellation that case exists to catch).
    json mistake = nullptr;
    const ForwardCase& c = cases[*first_failure];
    if (failure_got) {
        const Vec ref_y = forward(c.x, c.gamma, c.beta, c.eps).y;
        for (const auto& [id, y] : forward_variants(c)) {
            if (all_same(tol, failure_got->y, y) && distinguishable(tol, y, ref_y)) {
                mistake = mistake_json(id);
                break;
            }
        }
    }
    std::size_t failures = 0;
    for (const json& e : case_results) failures += e["passed"].get<bool>() ? 0 : 1;
    if (mistake.is_null() && failure_got && failures == 1 && c.name == "1e8 offset") mistake = mistake_json("one_pass_variance");

    std::string message = std::to_string(failures) + " of " + std::to_string(cases.size()) + " cases fail; the first is \"" +
                          c.name + "\": " + failure["message"].get<std::string>() + ".";
    if (!mistake.is_null()) message += " Mistake spotted: " + mistake["name"].get<std::string>() + ". " +
                                       mistake["explanation"].get<std::string>();
    json r = verdict_json(Verdict::incorrect, message, tol.text, mistake);
    r["cases"] = case_results;
    r["first_failure"] = failure;
    return r;
}

// --- Backward --------------------------------------------------------------------------------------------

json grade_backward_code(const json& answer, const std::vector<BackwardCase>& cases) {
    const std::string tol = "cs231n relative error ≤ 1e-7 on dx, dγ and dβ";
    const json* outputs = nullptr;
    if (auto early = read_outputs(answer, cases.size(), outputs, tol)) return *early;

    json case_results = json::array();
    json failure = nullptr, mistake = nullptr;
    std::size_t failures = 0;
    for (std::size_t k = 0; k < cases.size(); ++k) {
        const BackwardCase& c = cases[k];
        const json& o = (*outputs)[k];
        const Backward ref = backward(c.dy, c.x, c.gamma, c.eps);
        std::string problem;
        json entry = {{"name", c.name}};
        std::optional<Vec> dx;
        std::optional<double> dgamma, dbeta;
        if (auto p = runtime_problem(o)) {
            problem = *p;
        } else {
            dx = returned_vector(o, "dx", c.x.size(), problem);
            if (dx) dgamma = returned_number(o, "dgamma", problem);
            if (dgamma) dbeta = returned_number(o, "dbeta", problem);
        }
        if (dbeta) {
            const double e_dx = relative_error(*dx, ref.dx);
            const double e_dgamma = relative_error({*dgamma}, {ref.dgamma});
            const double e_dbeta = relative_error({*dbeta}, {ref.dbeta});
            entry["relative_error"] = {{"dx", e_dx}, {"dgamma", e_dgamma}, {"dbeta", e_dbeta}};
            // The gradient check: the learner's dx against central differences of the core's forward pass
            // of loss(x) = Σ dy·y(x).
            const auto loss = [&c](const Vec& x) {
                const Vec y = forward(x, c.gamma, c.beta, c.eps).y;
                double s = 0;
                for (std::size_t i = 0; i < y.size(); ++i) s += c.dy[i] * y[i];
                return s;
            };
            entry["gradient_check"] = check_gradient(loss, c.x, *dx).max_relative_error;
            if (e_dx > kBackwardMaxRelativeError) problem = "dx differs from the expected gradient";
            else if (e_dgamma > kBackwardMaxRelativeError) problem = "dgamma differs from Σ dy·x̂";
            else if (e_dbeta > kBackwardMaxRelativeError) problem = "dbeta differs from Σ dy";
        }
        const bool passed = problem.empty();
        entry["passed"] = passed;
        if (!passed) {
            entry["message"] = problem;
            ++failures;
        }
        if (!passed && failure.is_null()) {
            const Statistics s = statistics(c.x);
            const double rstd = 1 / std::sqrt(s.var + c.eps);
            Vec xhat;
            for (double v : c.x) xhat.push_back((v - s.mean) * rstd);
            auto sum = [](const Vec& v) { double t = 0; for (double e : v) t += e; return t; };
            auto dot = [](const Vec& a, const Vec& b) { double t = 0; for (std::size_t i = 0; i < a.size(); ++i) t += a[i] * b[i]; return t; };
            // The "definition of" checks a correct backward pass satisfies, expected against got.
            json checks = json::array({{{"name", "dβ = Σ dy"}, {"expected", ref.dbeta}},
                                       {{"name", "dγ = Σ dy·x̂"}, {"expected", ref.dgamma}},
                                       {{"name", "Σ dx (0: shifting x changes nothing)"}, {"expected", sum(ref.dx)}},
                                       {{"name", "Σ dx·x̂ (0: scaling x changes nothing)"}, {"expected", dot(ref.dx, xhat)}}});
            // The per-stage mean/variance trace, in the forward report's shape: the gradient arriving (dy),
            // what it would be if μ_B and σ²_B were constants, and dx itself (whose mean is 0).
            Vec held;
            for (std::size_t i = 0; i < c.dy.size(); ++i) held.push_back(c.gamma * rstd * c.dy[i]);
            json trace = json::array({{{"stage", "dy"}, {"mean", statistics(c.dy).mean}, {"var", statistics(c.dy).var}},
                                      {{"stage", "γ·dy/√(σ² + ε)"}, {"mean", statistics(held).mean}, {"var", statistics(held).var}},
                                      {{"stage", "dx"}, {"mean", statistics(ref.dx).mean}, {"var", statistics(ref.dx).var}}});
            if (dbeta) {
                checks[0]["got"] = *dbeta;
                checks[1]["got"] = *dgamma;
                checks[2]["got"] = sum(*dx);
                checks[3]["got"] = dot(*dx, xhat);
                trace[2]["got_mean"] = statistics(*dx).mean;
                trace[2]["got_var"] = statistics(*dx).var;
                // Known wrong gradients: μ_B and σ²_B treated as constants, or only μ_B's path kept, or γ lost.
                const double mean_dy = sum(c.dy) / static_cast<double>(c.dy.size());
                Vec constant_stats, mean_only, no_gamma;
                for (std::size_t i = 0; i < c.x.size(); ++i) {
                    constant_stats.push_back(c.gamma * rstd * c.dy[i]);
                    mean_only.push_back(c.gamma * rstd * (c.dy[i] - mean_dy));
                    no_gamma.push_back(ref.dx[i] / c.gamma);
                }
                for (const auto& [id, v] : {std::pair<const char*, Vec>{"no_grad_through_stats", constant_stats},
                                            {"no_grad_through_var", mean_only},
                                            {"forgot_gamma", no_gamma}}) {
                    if (relative_error(*dx, v) <= 1e-6 && relative_error(v, ref.dx) > 1e-4) {
                        mistake = mistake_json(id);
                        break;
                    }
                }
            }
            failure = {{"case", c.name},
                       {"input", case_json(c)},
                       {"expected", {{"dx", ref.dx}, {"dgamma", ref.dgamma}, {"dbeta", ref.dbeta}}},
                       {"got", o.is_object() ? o : json{{"value", o}}},
                       {"message", problem},
                       {"trace", trace},
                       {"checks", checks}};
        }
        case_results.push_back(entry);
    }
    json r;
    if (failure.is_null()) {
        r = verdict_json(Verdict::correct, "All " + std::to_string(cases.size()) + " cases pass, and dx agrees with the gradient check.", tol);
    } else {
        std::string message = std::to_string(failures) + " of " + std::to_string(cases.size()) +
                              " cases fail; the first is \"" + failure["case"].get<std::string>() + "\": " +
                              failure["message"].get<std::string>() + ".";
        if (!mistake.is_null()) message += " Mistake spotted: " + mistake["name"].get<std::string>() + ". " +
                                           mistake["explanation"].get<std::string>();
        r = verdict_json(Verdict::incorrect, message, tol, mistake);
    }
    r["cases"] = case_results;
    r["first_failure"] = failure;
    return r;
}

}  // namespace bnkata::exercises

// --- The train/eval switch ---------------------------------------------------------------------------------

namespace bnkata::exercises {

TrainEvalResult expected_train_eval(const TrainEvalCase& c) {
    if (!c.train)
        return {forward_eval(c.x, c.gamma, c.beta, c.running_mean, c.running_var, kTrainEvalEps), c.running_mean, c.running_var};
    const Running after = running_after({c.x}, {c.running_mean, c.running_var}, c.momentum, Convention::pytorch);
    return {forward(c.x, c.gamma, c.beta, kTrainEvalEps).y, after.mean, after.var};
}

std::vector<std::pair<std::string, TrainEvalResult>> train_eval_variants(const TrainEvalCase& c) {
    const TrainEvalResult right = expected_train_eval(c);
    const Statistics s = statistics(c.x);
    const double m = c.momentum;
    // What training mode stores, right (the unbiased variance) and with the classic slips.
    const Running updated = running_after({c.x}, {c.running_mean, c.running_var}, m, Convention::pytorch);
    auto with_state = [](Vec y, double mean, double var) { return TrainEvalResult{std::move(y), mean, var}; };
    auto eval_with = [&c](double mean, double var) {
        return forward_eval(c.x, c.gamma, c.beta, mean, var, kTrainEvalEps);
    };
    const Vec batch_y = forward(c.x, c.gamma, c.beta, kTrainEvalEps).y;
    if (c.train) {
        return {
            // Normalized with the running statistics, as they were or as just updated (and updated, or not).
            {"train_uses_running_stats", with_state(eval_with(c.running_mean, c.running_var), right.running_mean, right.running_var)},
            {"train_uses_running_stats", with_state(eval_with(updated.mean, updated.var), right.running_mean, right.running_var)},
            {"train_uses_running_stats", with_state(eval_with(c.running_mean, c.running_var), c.running_mean, c.running_var)},
            {"running_not_updated", with_state(right.y, c.running_mean, c.running_var)},
            {"stored_biased_variance", with_state(right.y, right.running_mean, (1 - m) * c.running_var + m * s.var)},
            {"momentum_flipped", with_state(right.y, m * c.running_mean + (1 - m) * s.mean, m * c.running_var + (1 - m) * s.var_unbiased)},
        };
    }
    return {
        // The batch's own statistics in eval mode (and, with them, the update training mode makes).
        {"batch_stats_at_inference", with_state(batch_y, c.running_mean, c.running_var)},
        {"batch_stats_at_inference", with_state(batch_y, updated.mean, updated.var)},
        // The running statistics updated in eval mode, before or after normalizing with them.
        {"eval_updates_running", with_state(right.y, updated.mean, updated.var)},
        {"eval_updates_running", with_state(eval_with(updated.mean, updated.var), updated.mean, updated.var)},
    };
}

namespace {

bool same_result(const Tolerance& t, const TrainEvalResult& got, const TrainEvalResult& want) {
    return all_same(t, got.y, want.y) && same(t, got.running_mean, want.running_mean) && same(t, got.running_var, want.running_var);
}

}  // namespace

bool distinguishable(const Tolerance& t, const TrainEvalResult& a, const TrainEvalResult& b) {
    return distinguishable(t, a.y, b.y) || t.distinguishes(a.running_mean, b.running_mean) ||
           t.distinguishes(a.running_var, b.running_var);
}

namespace {

// The mean and variance that explain the learner's y as γ·(x − mean)/√(var + ε) + β: the least-squares
// line through (x̂ᵢ, xᵢ), x̂ = (y − β)/γ, has slope √(var + ε) and intercept mean. Nothing when x is
// constant or a single value, or y is not finite.
std::optional<std::pair<double, double>> normalized_with(const TrainEvalCase& c, const Vec& y) {
    if (c.x.size() < 2 || c.gamma == 0) return std::nullopt;
    Vec xhat;
    for (double v : y) {
        if (!std::isfinite(v)) return std::nullopt;
        xhat.push_back((v - c.beta) / c.gamma);
    }
    const Statistics sx = statistics(c.x), sh = statistics(xhat);
    if (!(sh.var > 0)) return std::nullopt;
    double covariance = 0;
    for (std::size_t i = 0; i < y.size(); ++i) covariance += (xhat[i] - sh.mean) * (c.x[i] - sx.mean);
    covariance /= static_cast<double>(y.size());
    const double slope = covariance / sh.var;
    return std::make_pair(sx.mean - slope * sh.mean, slope * slope - kTrainEvalEps);
}

// The first failure's table: the statistics y was normalized with, and the running statistics afterwards,
// the reference's beside the ones the learner's result implies.
json train_eval_trace(const TrainEvalCase& c, const TrainEvalResult& right, const std::optional<TrainEvalResult>& got) {
    const Statistics s = statistics(c.x);
    json used = {{"stage", c.train ? "y normalized with (μ_B, σ²_B)" : "y normalized with (running mean, running var)"},
                 {"mean", c.train ? s.mean : c.running_mean},
                 {"var", c.train ? s.var : c.running_var}};
    json after = {{"stage", "running statistics afterwards"}, {"mean", right.running_mean}, {"var", right.running_var}};
    if (got) {
        if (const auto stats = normalized_with(c, got->y)) {
            used["got_mean"] = stats->first;
            used["got_var"] = stats->second;
        }
        after["got_mean"] = got->running_mean;
        after["got_var"] = got->running_var;
    }
    return json::array({{{"stage", "running statistics before"}, {"mean", c.running_mean}, {"var", c.running_var}}, used, after});
}

// The learner's result for one case, or why there is none.
std::optional<TrainEvalResult> returned_train_eval(const json& o, std::size_t length, std::string& problem) {
    const auto y = returned_vector(o, "y", length, problem);
    if (!y) return std::nullopt;
    const auto state = o.find("state");
    if (state == o.end() || !state->is_object()) {
        problem = "returned no state (the runner reads state.running_mean and state.running_var after the call)";
        return std::nullopt;
    }
    std::optional<double> mean, var;
    for (const auto& [key, value] : {std::pair{"running_mean", &mean}, {"running_var", &var}}) {
        const auto it = state->find(key);
        if (it != state->end()) *value = sent_number(*it);
        if (!*value) {
            problem = std::string("state.") + key + " is not a number after the call";
            return std::nullopt;
        }
    }
    return TrainEvalResult{*y, *mean, *var};
}

}  // namespace

json grade_train_eval_code(const json& answer, const std::vector<TrainEvalCase>& cases) {
    const Tolerance tol = forward_tolerance();
    const json* outputs = nullptr;
    if (auto early = read_outputs(answer, cases.size(), outputs, tol.text)) return *early;

    json case_results = json::array();
    std::optional<std::size_t> first_failure;
    json failure;
    std::optional<TrainEvalResult> failure_got;
    std::size_t failures = 0;
    for (std::size_t k = 0; k < cases.size(); ++k) {
        const TrainEvalCase& c = cases[k];
        const json& o = (*outputs)[k];
        const TrainEvalResult right = expected_train_eval(c);
        std::string problem;
        std::optional<TrainEvalResult> got;
        if (auto p = runtime_problem(o)) {
            problem = *p;
        } else if ((got = returned_train_eval(o, c.x.size(), problem))) {
            if (!all_same(tol, got->y, right.y))
                problem = c.train ? "y differs from x normalized with this batch's μ_B and σ²_B"
                                  : "y differs from x normalized with the running statistics";
            else if (!same(tol, got->running_mean, right.running_mean) || !same(tol, got->running_var, right.running_var))
                problem = c.train ? "the running statistics afterwards differ from (1 − momentum)·running + momentum·batch"
                                  : "eval mode changed the running statistics";
        }
        const bool passed = problem.empty();
        json entry = {{"name", c.name}, {"passed", passed}};
        if (!passed) {
            entry["message"] = problem;
            ++failures;
        }
        case_results.push_back(entry);
        if (!passed && !first_failure) {
            first_failure = k;
            failure_got = got;
            failure = {{"case", c.name},
                       {"input", case_json(c)},
                       {"expected", {{"y", right.y}, {"state", {{"running_mean", right.running_mean}, {"running_var", right.running_var}}}}},
                       {"got", o.is_object() ? o : json{{"value", o}}},
                       {"message", problem},
                       {"trace_caption", "The statistics y was normalized with, and the running statistics: the reference's and yours"},
                       {"trace", train_eval_trace(c, right, got)}};
        }
    }
    if (!first_failure) return all_cases_passed(std::move(case_results), tol.text);

    // Name the mistake from the first failing case: a known wrong switch that reproduces what came back, or
    // whose y it reproduces; failing that, eval mode changing the state at all (its y is right); or a batch
    // of one that eval mode could not handle (it threw, or gave something no known switch gives).
    json mistake = nullptr;
    const TrainEvalCase& c = cases[*first_failure];
    const TrainEvalResult right = expected_train_eval(c);
    if (failure_got) {
        const auto variants = train_eval_variants(c);
        for (const auto& [id, wrong] : variants) {
            if (same_result(tol, *failure_got, wrong) && distinguishable(tol, wrong, right)) {
                mistake = mistake_json(id);
                break;
            }
        }
        const bool y_right = all_same(tol, failure_got->y, right.y);
        if (mistake.is_null() && !y_right) {
            // A wrong y alone tells which statistics normalized it, whatever the state became.
            for (const auto& [id, wrong] : variants) {
                if (all_same(tol, failure_got->y, wrong.y) && distinguishable(tol, wrong.y, right.y)) {
                    mistake = mistake_json(id);
                    break;
                }
            }
        }
        if (mistake.is_null() && !c.train && y_right) mistake = mistake_json("eval_updates_running");
    }
    if (mistake.is_null() && !c.train && c.x.size() == 1) mistake = mistake_json("batch_of_one_in_eval");

    std::string message = std::to_string(failures) + " of " + std::to_string(cases.size()) + " cases fail; the first is \"" +
                          c.name + "\": " + failure["message"].get<std::string>() + ".";
    if (!mistake.is_null()) message += " Mistake spotted: " + mistake["name"].get<std::string>() + ". " +
                                       mistake["explanation"].get<std::string>();
    json r = verdict_json(Verdict::incorrect, message, tol.text, mistake);
    r["cases"] = case_results;
    r["first_failure"] = failure;
    return r;
}

}  // namespace bnkata::exercises
