// Step 5: the learner's code, run by the page, graded like a test runner; and the NumPy paste.
// Outputs are built here with plain independent formulas (or NumPy's numbers for seed 7, from
// tests/fixtures/exercises/expected_seed7.py), standing in for the learner's JavaScript.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "bnkata/compute.hpp"
#include "bnkata/exercises/numpy_print.hpp"
#include "exercise_requests.hpp"

using nlohmann::json;
using namespace exercise_requests;
using Vec = std::vector<double>;
using bnkata::exercises::print_numpy_array;
using bnkata::exercises::read_printed_array;

namespace {

// A learner's forward pass, with switches for the classic mistakes. Two-pass statistics, as taught.
enum class Bug { none, unbiased, eps_omitted, eps_outside, no_sqrt, forgot_beta, forgot_gamma, one_pass };
json forward_output(const json& c, Bug bug) {
    const Vec x = c["x"];
    const double g = c["gamma"], b = c["beta"], eps = c["eps"];
    const double m = static_cast<double>(x.size());
    double mean = 0, var = 0;
    for (double v : x) mean += v;
    mean /= m;
    if (bug == Bug::one_pass) {  // E[x²] − E[x]²: cancels catastrophically near 1e8
        double sq = 0;
        for (double v : x) sq += v * v;
        var = sq / m - mean * mean;
    } else {
        for (double v : x) var += (v - mean) * (v - mean);
        var /= m;
    }
    const double var_used = bug == Bug::unbiased ? var * m / (m - 1) : var;
    json y = json::array();
    for (double v : x) {
        double xhat = bug == Bug::eps_omitted ? (v - mean) / std::sqrt(var_used)
                    : bug == Bug::eps_outside ? (v - mean) / (std::sqrt(var_used) + eps)
                    : bug == Bug::no_sqrt     ? (v - mean) / (var_used + eps)
                                              : (v - mean) / std::sqrt(var_used + eps);
        const double out = (bug == Bug::forgot_gamma ? 1 : g) * xhat + (bug == Bug::forgot_beta ? 0 : b);
        y.push_back(std::isnan(out) ? json("NaN") : json(out));  // as the page's runner sends NaN
    }
    return {{"y", y}, {"mean", mean}, {"var", var}};
}
json forward_outputs(const json& cases, Bug bug) {
    json outs = json::array();
    for (const json& c : cases) outs.push_back(forward_output(c, bug));
    return {{"outputs", outs}};
}

// A learner's backward pass (cs231n's staged version), optionally without the paths through μ and σ².
enum class GradBug { none, constant_stats, mean_only, forgot_gamma };
json backward_output(const json& c, GradBug bug) {
    const Vec x = c["x"], dy = c["dy"];
    const double g = c["gamma"], eps = c["eps"];
    const double m = static_cast<double>(x.size());
    double mu = 0, var = 0;
    for (double v : x) mu += v;
    mu /= m;
    for (double v : x) var += (v - mu) * (v - mu);
    var /= m;
    const double std_ = std::sqrt(var + eps);
    double dvar = 0, dmu = 0, dgamma = 0, dbeta = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        dvar += dy[i] * g * (x[i] - mu) * -0.5 * std::pow(std_, -3);
        dmu += -dy[i] * g / std_;
        dgamma += dy[i] * (x[i] - mu) / std_;
        dbeta += dy[i];
    }
    double mean_dev = 0;
    for (double v : x) mean_dev += -2 * (v - mu) / m;
    dmu += dvar * mean_dev;
    json dx = json::array();
    for (std::size_t i = 0; i < x.size(); ++i) {
        double d = dy[i] * g / std_;
        if (bug != GradBug::constant_stats) d += dmu / m;
        if (bug == GradBug::none || bug == GradBug::forgot_gamma) d += dvar * 2 * (x[i] - mu) / m;
        if (bug == GradBug::mean_only) d = dy[i] * g / std_ - (dbeta / m) * g / std_;
        dx.push_back(bug == GradBug::forgot_gamma ? d / g : d);
    }
    return {{"dx", dx}, {"dgamma", dgamma}, {"dbeta", dbeta}};
}
json backward_outputs(const json& cases, GradBug bug) {
    json outs = json::array();
    for (const json& c : cases) outs.push_back(backward_output(c, bug));
    return {{"outputs", outs}};
}
}  // namespace

TEST_CASE("s5-forward-code: the cases include the pitfalls the issue lists") {
    const json cases = exercise("s5-forward-code", 7)["cases"];
    std::vector<std::string> names;
    for (const json& c : cases) names.push_back(c["name"]);
    for (const char* needed : {"constant batch", "batch of two", "1e8 offset", "negative γ"})
        CHECK(std::find(names.begin(), names.end(), needed) != names.end());
    for (const json& c : cases) {
        if (c["name"] == "constant batch") CHECK(c["x"][0] == c["x"][1]);
        if (c["name"] == "batch of two") CHECK(c["x"].size() == 2);
        if (c["name"] == "1e8 offset") CHECK(c["x"][0].get<double>() > 9e7);
        if (c["name"] == "negative γ") CHECK(c["gamma"].get<double>() < 0);
    }
}

TEST_CASE("s5-forward-code: a correct implementation passes every case, for many seeds") {
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        const json cases = exercise("s5-forward-code", seed)["cases"];
        const json g = grade("s5-forward-code", seed, forward_outputs(cases, Bug::none));
        CAPTURE(seed);
        CAPTURE(g.dump());
        CHECK(g["verdict"] == "correct");
        CHECK(g["first_failure"].is_null());
        for (const json& c : g["cases"]) CHECK(c["passed"] == true);
    }
    // The kata's example as NumPy printed it (expected_seed7.txt), at the contract's 1e-6.
    const json cases = exercise("s5-forward-code", 7)["cases"];
    json answer = forward_outputs(cases, Bug::none);
    answer["outputs"][0]["y"] = {-1.341635419969, -0.447211806656, 0.447211806656, 1.341635419969};
    answer["outputs"][0]["mean"] = 2.5;
    answer["outputs"][0]["var"] = 1.25;
    CHECK(grade("s5-forward-code", 7, answer)["verdict"] == "correct");
}

TEST_CASE("s5-forward-code: each classic mistake fails with a report and is named") {
    const json cases = exercise("s5-forward-code", 7)["cases"];
    SUBCASE("unbiased variance") {
        const json g = grade("s5-forward-code", 7, forward_outputs(cases, Bug::unbiased));
        CHECK(g["verdict"] == "incorrect");
        CHECK(mistake_of(g) == "unbiased_variance");
        CHECK(g["first_failure"]["case"] == "the kata's example");
    }
    SUBCASE("ε omitted: NaN on the constant batch, and already off on the kata's example") {
        const json g = grade("s5-forward-code", 7, forward_outputs(cases, Bug::eps_omitted));
        CHECK(mistake_of(g) == "eps_omitted");
        bool constant_failed = false;
        for (const json& c : g["cases"])
            if (c["name"] == "constant batch") {
                constant_failed = !c["passed"].get<bool>();
                CHECK(c["message"] == "y differs from the expected output");  // compared, not refused as text
            }
        CHECK(constant_failed);
    }
    SUBCASE("ε outside the square root") {
        CHECK(mistake_of(grade("s5-forward-code", 7, forward_outputs(cases, Bug::eps_outside))) == "eps_outside_sqrt");
    }
    SUBCASE("β forgotten: passes the kata's example (β = 0), fails on the learner's batch") {
        const json g = grade("s5-forward-code", 7, forward_outputs(cases, Bug::forgot_beta));
        CHECK(mistake_of(g) == "forgot_beta");
        CHECK(g["cases"][0]["passed"] == true);
        CHECK(g["first_failure"]["case"] == "your batch");
    }
    SUBCASE("no square root, and γ forgotten") {
        CHECK(mistake_of(grade("s5-forward-code", 7, forward_outputs(cases, Bug::no_sqrt))) == "var_instead_of_std");
        CHECK(mistake_of(grade("s5-forward-code", 7, forward_outputs(cases, Bug::forgot_gamma))) == "forgot_gamma");
    }
    SUBCASE("for many seeds, every mistake is named") {
        for (std::uint64_t seed = 0; seed < 20; ++seed) {
            const json c = exercise("s5-forward-code", seed)["cases"];
            CAPTURE(seed);
            CHECK(mistake_of(grade("s5-forward-code", seed, forward_outputs(c, Bug::unbiased))) == "unbiased_variance");
            CHECK(mistake_of(grade("s5-forward-code", seed, forward_outputs(c, Bug::eps_omitted))) == "eps_omitted");
            CHECK(mistake_of(grade("s5-forward-code", seed, forward_outputs(c, Bug::eps_outside))) == "eps_outside_sqrt");
            CHECK(mistake_of(grade("s5-forward-code", seed, forward_outputs(c, Bug::no_sqrt))) == "var_instead_of_std");
            CHECK(mistake_of(grade("s5-forward-code", seed, forward_outputs(c, Bug::forgot_beta))) == "forgot_beta");
            CHECK(mistake_of(grade("s5-forward-code", seed, forward_outputs(c, Bug::forgot_gamma))) == "forgot_gamma");
            CHECK(mistake_of(grade("s5-forward-code", seed, forward_outputs(c, Bug::one_pass))) == "one_pass_variance");
        }
    }
    SUBCASE("one-pass variance: only the 1e8 offset fails") {
        const json g = grade("s5-forward-code", 7, forward_outputs(cases, Bug::one_pass));
        CHECK(g["verdict"] == "incorrect");
        CHECK(g["first_failure"]["case"] == "1e8 offset");
        CHECK(mistake_of(g) == "one_pass_variance");
        // The trace shows where it went wrong: the reference's x̂ has variance ≈ 1, the learner's does not.
        const json& trace = g["first_failure"]["trace"];
        REQUIRE(trace.size() == 4);
        CHECK(trace[0]["stage"] == "x");
        CHECK(trace[2]["stage"] == "x̂");
        CHECK(trace[3]["stage"] == "γx̂ + β");
        // Reference at the 1e8 offset: offsets 0.5, −1.5, 2, 0.25, −0.75, 1 have mean 0.25; deviations
        // 0.25, −1.75, 1.75, 0, −1, 0.75; squares sum to 0.0625 + 3.0625 + 3.0625 + 0 + 1 + 0.5625 = 7.75;
        // σ² = 7.75/6. x̂ then has variance σ²/(σ² + ε).
        const double var = 7.75 / 6;
        CHECK(trace[0]["var"].get<double>() == doctest::Approx(var).epsilon(1e-9));
        CHECK(trace[2]["var"].get<double>() == doctest::Approx(var / (var + 1e-5)).epsilon(1e-9));
        CHECK(trace[0].contains("got_var"));
    }
}

TEST_CASE("s5-forward-code: exceptions, timeouts and malformed results fail their case cleanly") {
    const json cases = exercise("s5-forward-code", 7)["cases"];
    json answer = forward_outputs(cases, Bug::none);
    answer["outputs"][1] = {{"error", "ReferenceError: mean is not defined"}};
    answer["outputs"][2] = {{"timeout", true}};
    answer["outputs"][3] = {{"y", {1, 2, 3}}, {"mean", 0}, {"var", 1}};
    answer["outputs"][4] = "<script>alert(1)</script>";
    const json g = grade("s5-forward-code", 7, answer);
    CHECK(g["verdict"] == "incorrect");
    CHECK(g["first_failure"]["case"] == "your batch");
    CHECK(g["first_failure"]["message"].get<std::string>().find("ReferenceError") != std::string::npos);
    CHECK(g["cases"][2]["message"].get<std::string>().find("timed out") != std::string::npos);
    CHECK(g["cases"][3]["message"].get<std::string>().find("3 entries, expected 2") != std::string::npos);
    CHECK(g["cases"][4]["passed"] == false);
    CHECK(g["cases"][5]["passed"] == true);
    // The wrong number of results is the page's mistake: invalid, saying how many were expected.
    const json few = grade("s5-forward-code", 7, {{"outputs", {answer["outputs"][0]}}});
    CHECK(few["verdict"] == "invalid");
    CHECK(few["message"].get<std::string>().find("expected 6") != std::string::npos);
    const json huge_error = grade("s5-forward-code", 7, {{"outputs", json::array({{{"error", std::string(100000, 'e')}}, 1, 2, 3, 4, 5})}});
    CHECK(huge_error["first_failure"]["message"].get<std::string>().size() < 400);
}

TEST_CASE("s5-backward-code: the closed form passes with a gradient check; missing paths are named") {
    for (std::uint64_t seed = 0; seed < 10; ++seed) {
        const json cases = exercise("s5-backward-code", seed)["cases"];
        const json g = grade("s5-backward-code", seed, backward_outputs(cases, GradBug::none));
        CAPTURE(g.dump());
        CHECK(g["verdict"] == "correct");
        for (const json& c : g["cases"]) {
            CHECK(c["relative_error"]["dx"].get<double>() < 1e-9);
            // Central differences are accurate where dx is not tiny; in a batch of two (x̂ = ±1 whatever x
            // does) and a constant batch, dx is nearly 0 and the check is reported, not relied upon.
            REQUIRE(c["gradient_check"].is_number());
            if (c["name"] != "batch of two" && c["name"] != "constant batch") CHECK(c["gradient_check"].get<double>() < 1e-6);
        }
    }
    const json cases = exercise("s5-backward-code", 7)["cases"];
    // The kata's example by NumPy (expected_seed7.txt): dx = [0.080497749543, −0.21913391048, 0.196773320147,
    // −0.05813715921], dγ = 0.15652413233, dβ = 0.25.
    json answer = backward_outputs(cases, GradBug::none);
    answer["outputs"][0] = {{"dx", {0.080497749543, -0.21913391048, 0.196773320147, -0.05813715921}}, {"dgamma", 0.15652413233}, {"dbeta", 0.25}};
    const json numpy = grade("s5-backward-code", 7, answer);
    CHECK(numpy["cases"][0]["passed"] == true);
    const json constant = grade("s5-backward-code", 7, backward_outputs(cases, GradBug::constant_stats));
    CHECK(constant["verdict"] == "incorrect");
    CHECK(mistake_of(constant) == "no_grad_through_stats");
    CHECK(constant["first_failure"]["checks"][2]["name"].get<std::string>().find("Σ dx") == 0);
    // The trace shows why: a correct dx has mean 0 over the batch; with μ_B held constant it does not.
    const json& dx_stage = constant["first_failure"]["trace"][2];
    CHECK(dx_stage["stage"] == "dx");
    CHECK(std::fabs(dx_stage["mean"].get<double>()) < 1e-12);
    CHECK(std::fabs(dx_stage["got_mean"].get<double>()) > 1e-3);
    CHECK(mistake_of(grade("s5-backward-code", 7, backward_outputs(cases, GradBug::mean_only))) == "no_grad_through_var");
    const json no_gamma = grade("s5-backward-code", 7, backward_outputs(cases, GradBug::forgot_gamma));
    CHECK(mistake_of(no_gamma) == "forgot_gamma");
    CHECK(no_gamma["first_failure"]["case"] == "your batch");  // the kata's example has γ = 1
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        const json c = exercise("s5-backward-code", seed)["cases"];
        CAPTURE(seed);
        CHECK(mistake_of(grade("s5-backward-code", seed, backward_outputs(c, GradBug::constant_stats))) == "no_grad_through_stats");
        CHECK(mistake_of(grade("s5-backward-code", seed, backward_outputs(c, GradBug::mean_only))) == "no_grad_through_var");
        CHECK(mistake_of(grade("s5-backward-code", seed, backward_outputs(c, GradBug::forgot_gamma))) == "forgot_gamma");
    }
}

TEST_CASE("an array printed as NumPy prints it reads back to 8 decimals") {
    const Vec y = {1.030517414, -0.862139293, 0.0, -1e-9, 12.5};
    const std::string printed = print_numpy_array(y);
    CHECK(printed == "[1.03051741 -0.86213929 0.00000000 -0.00000000 12.50000000]");
    const auto read = read_printed_array("Normalized y: " + printed, "Normalized y:");
    REQUIRE(read.error.empty());
    REQUIRE(read.values.size() == y.size());
    for (std::size_t i = 0; i < y.size(); ++i) CHECK(std::fabs(read.values[i] - y[i]) <= 0.5e-8);
}

TEST_CASE("s5-numpy-paste: for many seeds, each mistake's printout is named") {
    for (std::uint64_t seed = 0; seed < 30; ++seed) {
        const json d = exercise("s5-numpy-paste", seed)["data"];
        const Vec x = d["x"];
        const double g = d["gamma"], b = d["beta"], eps = d["eps"];
        const double m = static_cast<double>(x.size());
        double mu = 0, var = 0;
        for (double v : x) mu += v;
        mu /= m;
        for (double v : x) var += (v - mu) * (v - mu);
        var /= m;
        auto printed = [&](auto f) {
            Vec y;
            for (double v : x) y.push_back(f(v));
            // What np.mean and np.var of this y print (Python's repr: shortest round-trip, 17 digits suffice).
            double ym = 0, yv = 0;
            for (double v : y) ym += v;
            ym /= m;
            for (double v : y) yv += (v - ym) * (v - ym);
            yv /= m;
            char stats[80];
            std::snprintf(stats, sizeof stats, ", Mean: %.17g, Var: %.17g", ym, yv);
            return json{{"numpy_output", "Normalized y: " + print_numpy_array(y) + stats}};
        };
        CAPTURE(seed);
        CHECK(grade("s5-numpy-paste", seed, printed([&](double v) { return g * (v - mu) / std::sqrt(var + eps) + b; }))["verdict"] == "correct");
        CHECK(mistake_of(grade("s5-numpy-paste", seed, printed([&](double v) { return g * (v - mu) / std::sqrt(var * m / (m - 1) + eps) + b; }))) == "unbiased_variance");
        CHECK(mistake_of(grade("s5-numpy-paste", seed, printed([&](double v) { return g * (v - mu) / std::sqrt(var) + b; }))) == "eps_omitted");
        CHECK(mistake_of(grade("s5-numpy-paste", seed, printed([&](double v) { return g * (v - mu) / (std::sqrt(var) + eps) + b; }))) == "eps_outside_sqrt");
        CHECK(mistake_of(grade("s5-numpy-paste", seed, printed([&](double v) { return g * (v - mu) / (var + eps) + b; }))) == "var_instead_of_std");
        CHECK(mistake_of(grade("s5-numpy-paste", seed, printed([&](double v) { return g * (v - mu) / std::sqrt(var + eps); }))) == "forgot_beta");
        CHECK(mistake_of(grade("s5-numpy-paste", seed, printed([&](double v) { return (v - mu) / std::sqrt(var + eps) + b; }))) == "forgot_gamma");
    }
}

TEST_CASE("s5-numpy-paste: NumPy's printing is read and graded") {
    // Seed 7: x = [0.7, −1.5, 0.1, −0.6, 0.4, 1.4], γ = 0.8, β = 0.5. What NumPy 1.24 printed for it:
    const std::string printed =
        "Normalized y: [ 1.03051741 -0.86213929  0.51433831 -0.08787064  0.77242786  1.63272636], Mean: 0.5, "
        "Var: 0.6399925988649021";
    CHECK(grade("s5-numpy-paste", 7, {{"numpy_output", printed}})["verdict"] == "correct");
    SUBCASE("line wraps, an earlier print line, repr with commas, scientific notation") {
        CHECK(grade("s5-numpy-paste", 7, {{"numpy_output",
            "Original x: [ 0.7 -1.5  0.1 -0.6  0.4  1.4], Mean: 0.0, Var: 0.8\n"
            "Normalized y: [ 1.03051741 -0.86213929  0.51433831\n -0.08787064  0.77242786  1.63272636], Mean: 0.5, "
            "Var: 0.6399925988649021"}})["verdict"] == "correct");
        // An array alone is read (y is right), but the step also asks for the printed Mean and Var.
        for (const char* alone : {"array([ 1.03051741, -0.86213929,  0.51433831, -0.08787064,  0.77242786,  1.63272636])",
                                  "[ 1.03051741e+00 -8.62139292e-01  5.14338308e-01 -8.78706419e-02  7.72427858e-01  1.63272636e+00]"}) {
            const json g = grade("s5-numpy-paste", 7, {{"numpy_output", alone}});
            CAPTURE(alone);
            CHECK(g["verdict"] == "invalid");
            CHECK(g["message"].get<std::string>().find("Your y is right") == 0);
        }
    }
    SUBCASE("np.var(ddof=1) is named") {
        // expected_seed7.txt, unbiased: [0.984294386417, −0.743458559719, 0.513089037471, −0.0366505363, 0.748691711944, 1.534033960188]
        const json g = grade("s5-numpy-paste", 7, {{"numpy_output",
            "Normalized y: [ 0.98429439 -0.74345856  0.51308904 -0.03665054  0.74869171  1.53403396]"}});
        CHECK(g["verdict"] == "incorrect");
        CHECK(mistake_of(g) == "unbiased_variance");
    }
    SUBCASE("garbage is invalid with a message") {
        for (const char* bad : {"hello", "Normalized y: [1 2 3", "[1.0 2.0 ...]", "[1.0 abc]",
                                "Normalized y: [1. 2.]"}) {
            const json g = grade("s5-numpy-paste", 7, {{"numpy_output", bad}});
            CAPTURE(bad);
            CHECK(g["verdict"] == "invalid");
            CHECK(g["message"].get<std::string>().find("The pasted") == 0);
            CHECK(g["message"].get<std::string>().find("numpy_output") == std::string::npos);
        }
        CHECK(grade("s5-numpy-paste", 7, {{"numpy_output", std::string(30000, '[')}})["verdict"] == "invalid");
        CHECK(grade("s5-numpy-paste", 7, {{"numpy_output", "[nan nan nan nan nan nan]"}})["verdict"] == "incorrect");
    }
}

TEST_CASE("s5-numpy-paste: the printed Mean and Var are graded too, not only y") {
    // Seed 7 as NumPy 1.24 printed it: mean β = 0.5, variance γ²·σ²/(σ² + ε) = 0.6399925988649021.
    const std::string y = "Normalized y: [ 1.03051741 -0.86213929  0.51433831 -0.08787064  0.77242786  1.63272636]";
    CHECK(grade("s5-numpy-paste", 7, {{"numpy_output", y + ", Mean: 0.5, Var: 0.6399925988649021"}})["verdict"] == "correct");
    // The right y with the variance a learner expects without thinking of ε (γ² = 0.64): not correct.
    const json no_eps = grade("s5-numpy-paste", 7, {{"numpy_output", y + ", Mean: 0.5, Var: 0.64"}});
    CHECK(no_eps["verdict"] == "incorrect");
    CHECK(no_eps["message"].get<std::string>().find("0.6399925988649021") != std::string::npos);
    const json wrong_mean = grade("s5-numpy-paste", 7, {{"numpy_output", y + ", Mean: 0.0, Var: 0.6399925988649021"}});
    CHECK(wrong_mean["verdict"] == "incorrect");
    // Only the array pasted: the learner is asked for the whole line, and the message names no internal field.
    const json only_y = grade("s5-numpy-paste", 7, {{"numpy_output", y}});
    CHECK(only_y["verdict"] == "invalid");
    CHECK(only_y["message"].get<std::string>().find("numpy_output") == std::string::npos);
    CHECK(only_y["message"].get<std::string>().find("Mean and Var") != std::string::npos);
}

TEST_CASE("s5-var-predict: ε is the reason var(x̂) is 0.999992, and a wrong pick explains only itself") {
    const json e = exercise("s5-var-predict", 7);
    std::string right, rounding;
    for (const json& o : e["options"]) {
        const std::string text = o["text"];
        if (text.find("0.999992:") != std::string::npos) right = o["id"];
        if (text.find("rounding") != std::string::npos) rounding = o["id"];
    }
    REQUIRE(!right.empty());
    REQUIRE(!rounding.empty());
    CHECK(grade("s5-var-predict", 7, {{"choice", right}})["verdict"] == "correct");
    const json g = grade("s5-var-predict", 7, {{"choice", rounding}});
    CHECK(g["verdict"] == "incorrect");
    CHECK(g["options"].size() == 1);
    // The solution's number is the one NumPy printed for the kata's example (step 5 of the lesson).
    CHECK(e["solution"]["explanation"].get<std::string>().find("0.9999920000639994") != std::string::npos);
}
