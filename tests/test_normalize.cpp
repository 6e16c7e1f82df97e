// test_normalize.cpp — the normalization family (batch, layer, instance, group) against its claims.
//
// "Result of" tests compare with numbers from outside this code: tests/fixtures/generate_normalize.py
// (numpy, node-by-node backpropagation) and tests/fixtures/generate_normalize_torch.py (PyTorch float64,
// autograd), the latter through the JSON ops as a user sends them. "Definition of" tests check what makes
// each kind what it is: which values share one mean and variance. Every comparison states its tolerance.
#include <doctest/doctest.h>

#include "bnkata/compute.hpp"
#include "bnkata/gradient_check.hpp"
#include "bnkata/normalize.hpp"
#include "bnkata/tensor.hpp"
#include "fixtures.hpp"
#include "tensor_checker.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

using bnkata::Layout;
using bnkata::Norm;
using bnkata::NormKind;
using bnkata_test::ask;
using bnkata_test::biased_var_of;
using bnkata_test::flat;
using bnkata_test::layout_of;
using bnkata_test::mean_of;
using bnkata_test::numbers;
using nlohmann::json;

namespace {

const json& numpy_cases() { return bnkata_test::fixture_file("normalize_cases.json"); }
const json& torch_cases() { return bnkata_test::fixture_file("normalize_torch_cases.json"); }


Norm norm_of(const json& c) {
    Norm norm;
    norm.kind = *bnkata::kind_from_name(c["kind"].get<std::string>());
    if (c.contains("groups")) norm.groups = c["groups"].get<std::size_t>();
    return norm;
}

// Everything the double-precision kernels say about one fixture case.
struct NormRun {
    std::vector<double> y, mean, var, rstd, dx, dgamma, dbeta;
};

NormRun run_norm_case(const json& c, const std::vector<double>& gamma, const std::vector<double>& beta) {
    const Layout L = layout_of(c["shape"]);
    const Norm norm = norm_of(c);
    const auto x = numbers(c["x"]), dy = numbers(c["dy"]);
    const std::size_t S = norm.statistics_count(L);
    NormRun r;
    r.y.resize(L.size()); r.dx.resize(L.size());
    r.mean.resize(S); r.var.resize(S); r.rstd.resize(S); r.dgamma.resize(L.C); r.dbeta.resize(L.C);
    bnkata::normalize_forward(r.y.data(), r.mean.data(), r.var.data(), r.rstd.data(), x.data(), gamma.data(),
                              beta.data(), L, norm, c["eps"].get<double>());
    bnkata::normalize_backward(r.dx.data(), r.dgamma.data(), r.dbeta.data(), dy.data(), x.data(), r.mean.data(),
                               r.rstd.data(), gamma.data(), L, norm);
    return r;
}
NormRun run_norm_case(const json& c) { return run_norm_case(c, numbers(c["gamma"]), numbers(c["beta"])); }

// The indices of the values that share statistic s (in the order the kernels write statistics).
std::vector<std::size_t> members(Layout L, Norm norm, std::size_t s) {
    std::vector<std::size_t> out;
    if (norm.kind == NormKind::batch) {
        for (std::size_t n = 0; n < L.N; ++n)
            for (std::size_t p = 0; p < L.HW; ++p) out.push_back((n * L.C + s) * L.HW + p);
        return out;
    }
    const std::size_t K = norm.values_per_statistic(L);  // a group is K contiguous values
    for (std::size_t i = 0; i < K; ++i) out.push_back(s * K + i);
    return out;
}

std::vector<double> pick(const std::vector<double>& t, const std::vector<std::size_t>& at) {
    std::vector<double> out;
    for (std::size_t i : at) out.push_back(t[i]);
    return out;
}


}  // namespace

TEST_CASE("normalize matches the numpy reference for every kind, forward and backward") {
    for (const auto& c : numpy_cases()["cases"]) {
        const std::string name = c["name"].get<std::string>();
        CAPTURE(name);
        const NormRun r = run_norm_case(c);
        CHECK_TENSOR(name + " y", numbers(c["y"]), r.y, 1e-12);
        CHECK_TENSOR(name + " mean", numbers(c["mean"]), r.mean, 1e-13);
        CHECK_TENSOR(name + " variance (biased)", numbers(c["var"]), r.var, 1e-13);
        CHECK_TENSOR(name + " dx", numbers(c["dx"]), r.dx, 1e-12);
        CHECK_TENSOR(name + " dgamma", numbers(c["dgamma"]), r.dgamma, 1e-12);
        CHECK_TENSOR(name + " dbeta", numbers(c["dbeta"]), r.dbeta, 1e-12);
    }
}

TEST_CASE("definition of each kind: the values that share a statistic normalise to mean 0 and variance "
          "σ²/(σ² + ε)") {
    for (const auto& c : numpy_cases()["cases"]) {
        CAPTURE(c["name"].get<std::string>());
        const Layout L = layout_of(c["shape"]);
        const Norm norm = norm_of(c);
        const auto x = numbers(c["x"]);
        const double eps = c["eps"].get<double>();
        // γ = 1, β = 0: y is x̂.
        const NormRun r = run_norm_case(c, std::vector<double>(L.C, 1.0), std::vector<double>(L.C, 0.0));
        REQUIRE(r.mean.size() == norm.statistics_count(L));
        for (std::size_t s = 0; s < r.mean.size(); ++s) {
            CAPTURE(s);
            const auto at = members(L, norm, s);
            CHECK(at.size() == norm.values_per_statistic(L));
            const double sigma2 = biased_var_of(pick(x, at));
            CHECK(std::fabs(r.mean[s] - mean_of(pick(x, at))) < 1e-13);
            CHECK(std::fabs(r.var[s] - sigma2) < 1e-13);
            const auto xhat = pick(r.y, at);
            CHECK(std::fabs(mean_of(xhat)) < 1e-14);
            CHECK(std::fabs(biased_var_of(xhat) - sigma2 / (sigma2 + eps)) < 1e-13);
        }
    }
}

TEST_CASE("a constant group normalises to x̂ = 0, so y = β there, and its gradient is still finite") {
    for (const auto& c : numpy_cases()["cases"]) {
        if (c["name"].get<std::string>().find("constant") == std::string::npos) continue;
        const Layout L = layout_of(c["shape"]);
        const Norm norm = norm_of(c);
        const NormRun r = run_norm_case(c);
        const std::size_t constant = 1 * norm.groups_in(L) + 1;  // example 1, group 1 (generate_normalize.py)
        CHECK(r.var[constant] == 0);
        const auto beta = numbers(c["beta"]);
        for (std::size_t i : members(L, norm, constant)) {
            CAPTURE(i);
            CHECK(r.y[i] == beta[(i / L.HW) % L.C]);
            CHECK(std::isfinite(r.dx[i]));
        }
    }
}

TEST_CASE("definition of the backward pass: Σ dx = 0 over every group, and dβ = Σ dy per channel") {
    for (const auto& c : numpy_cases()["cases"]) {
        CAPTURE(c["name"].get<std::string>());
        const Layout L = layout_of(c["shape"]);
        const Norm norm = norm_of(c);
        const auto dy = numbers(c["dy"]);
        const NormRun r = run_norm_case(c);
        // Σ dx = 0: shifting a whole group by a constant leaves its x̂, and so y, unchanged.
        for (std::size_t s = 0; s < r.mean.size(); ++s) CHECK(std::fabs(mean_of(pick(r.dx, members(L, norm, s)))) < 1e-14);
        for (std::size_t ch = 0; ch < L.C; ++ch) {
            double sum_dy = 0;
            for (std::size_t n = 0; n < L.N; ++n)
                for (std::size_t p = 0; p < L.HW; ++p) sum_dy += dy[(n * L.C + ch) * L.HW + p];
            CHECK(std::fabs(r.dbeta[ch] - sum_dy) < 1e-13);
        }
    }
}

TEST_CASE("normalize_backward agrees with finite differences to 1e-8 of the gradient's scale (double)") {
    // Loss L = Σ w ⊙ y for a fixed random w, so ∂L/∂y = w is the dy fed to backward.
    // The error is measured against the gradient's largest entry: element by element (cs231n's relative
    // error) an entry a million times smaller than the rest is all rounding noise in the difference
    // quotient. The constant group's curvature grows like rstd³ = ε^(−3/2), so there h is 1e-7, not 1e-5.
    for (const auto& c : numpy_cases()["cases"]) {
        const std::string name = c["name"].get<std::string>();
        CAPTURE(name);
        const Layout L = layout_of(c["shape"]);
        const Norm norm = norm_of(c);
        const auto x = numbers(c["x"]), gamma = numbers(c["gamma"]), beta = numbers(c["beta"]), w = numbers(c["dy"]);
        const double eps = c["eps"].get<double>();
        const double h = name.find("constant") != std::string::npos ? 1e-7 : 1e-5;
        auto loss = [&](const std::vector<double>& xs, const std::vector<double>& g, const std::vector<double>& b) {
            const std::size_t S = norm.statistics_count(L);
            std::vector<double> y(L.size()), mean(S), rstd(S);
            bnkata::normalize_forward(y.data(), mean.data(), static_cast<double*>(nullptr), rstd.data(), xs.data(),
                                      g.data(), b.data(), L, norm, eps);
            double s = 0;
            for (std::size_t i = 0; i < y.size(); ++i) s += w[i] * y[i];
            return s;
        };
        auto error_against_scale = [](const bnkata::GradientCheck& check, const std::vector<double>& analytic) {
            double scale = 0, worst = 0;
            for (std::size_t i = 0; i < analytic.size(); ++i) {
                scale = std::max(scale, std::fabs(analytic[i]));
                worst = std::max(worst, std::fabs(analytic[i] - check.numeric[i]));
            }
            return worst / scale;
        };
        const NormRun r = run_norm_case(c);
        const auto dx = bnkata::check_gradient([&](const std::vector<double>& xs) { return loss(xs, gamma, beta); }, x,
                                               r.dx, h);
        CHECK(error_against_scale(dx, r.dx) <= 1e-8);
        const auto dg = bnkata::check_gradient([&](const std::vector<double>& g) { return loss(x, g, beta); }, gamma,
                                               r.dgamma, h);
        CHECK(error_against_scale(dg, r.dgamma) <= 1e-8);
        const auto db = bnkata::check_gradient([&](const std::vector<double>& b) { return loss(x, gamma, b); }, beta,
                                               r.dbeta, h);
        CHECK(error_against_scale(db, r.dbeta) <= 1e-8);
    }
}

TEST_CASE("the finite-difference check rejects the gradient that treats the group's statistics as constants") {
    // dx = γ·rstd·dy is what forgetting that μ and σ² depend on x gives: off by far more than 1e-8.
    const auto& c = numpy_cases()["cases"][6];  // group G = 2 (2, 4, 2, 2)
    const Layout L = layout_of(c["shape"]);
    const Norm norm = norm_of(c);
    const auto x = numbers(c["x"]), gamma = numbers(c["gamma"]), beta = numbers(c["beta"]), w = numbers(c["dy"]);
    const NormRun r = run_norm_case(c);
    const std::size_t K = norm.values_per_statistic(L);
    std::vector<double> wrong(L.size());
    for (std::size_t i = 0; i < wrong.size(); ++i) wrong[i] = gamma[(i / L.HW) % L.C] * r.rstd[i / K] * w[i];
    const auto check = bnkata::check_gradient(
        [&](const std::vector<double>& xs) {
            std::vector<double> y(L.size()), mean(r.mean.size()), rstd(r.mean.size());
            bnkata::normalize_forward(y.data(), mean.data(), static_cast<double*>(nullptr), rstd.data(), xs.data(),
                                      gamma.data(), beta.data(), L, norm, 1e-5);
            double s = 0;
            for (std::size_t i = 0; i < y.size(); ++i) s += w[i] * y[i];
            return s;
        },
        x, wrong);
    CHECK(check.max_relative_error > 1e-2);
    CHECK_TENSOR("numeric gradient = the closed form", r.dx, check.numeric, 1e-8);
}

TEST_CASE("every kind at 1e8 + N(0, 1) still normalises to within 1e-6 of the exact result") {
    for (const auto& o : numpy_cases()["offset"]) {
        const std::string kind = o["kind"].get<std::string>();
        CAPTURE(kind);
        const Layout L = layout_of(o["shape"]);
        const Norm norm = norm_of(o);
        const auto x = numbers(o["x"]);
        const std::size_t S = norm.statistics_count(L);
        std::vector<double> y(L.size()), mean(S), var(S), rstd(S);
        const std::vector<double> gamma(L.C, 1.0), beta(L.C, 0.0);
        bnkata::normalize_forward(y.data(), mean.data(), var.data(), rstd.data(), x.data(), gamma.data(), beta.data(),
                                  L, norm, o["eps"].get<double>());
        // The reference is numpy's two passes in 64-bit-mantissa long double; a double at 1e8 is worth
        // 1.5e-8 in its last place, so 1e-6 leaves room for rounding and none for cancellation.
        CHECK_TENSOR(kind + " x-hat at 1e8 offset", numbers(o["xhat"]), y, 1e-6);
        CHECK_TENSOR(kind + " variance at 1e8 offset", numbers(o["var"]), var, 1e-6);
    }
}

TEST_CASE("the float32 path agrees with the double path to float precision, for every kind") {
    for (const auto& c : numpy_cases()["cases"]) {
        const std::string name = c["name"].get<std::string>();
        const Layout L = layout_of(c["shape"]);
        const Norm norm = norm_of(c);
        auto to_float = [](const std::vector<double>& v) { return std::vector<float>(v.begin(), v.end()); };
        const auto x = to_float(numbers(c["x"])), gamma = to_float(numbers(c["gamma"])),
                   beta = to_float(numbers(c["beta"])), dy = to_float(numbers(c["dy"]));
        const std::size_t S = norm.statistics_count(L);
        std::vector<float> y(L.size()), dx(L.size()), mean(S), var(S), rstd(S), dgamma(L.C), dbeta(L.C);
        bnkata::normalize_forward(y.data(), mean.data(), var.data(), rstd.data(), x.data(), gamma.data(), beta.data(),
                                  L, norm, 1e-5);
        bnkata::normalize_backward(dx.data(), dgamma.data(), dbeta.data(), dy.data(), x.data(), mean.data(),
                                   rstd.data(), gamma.data(), L, norm);
        // Inputs rounded to float carry relative errors of 6e-8; the constant group's x̂ = (x − μ)·rstd
        // multiplies float rounding of x − μ by rstd = 1/√ε ≈ 316, so 1e-4 there, 1e-5 elsewhere.
        const double tol = name.find("constant") != std::string::npos ? 1e-4 : 1e-5;
        CHECK_TENSOR(name + " y (float32)", numbers(c["y"]), y, tol);
        CHECK_TENSOR(name + " dx (float32)", numbers(c["dx"]), dx, tol);
        CHECK_TENSOR(name + " dgamma (float32)", numbers(c["dgamma"]), dgamma, tol);
        CHECK_TENSOR(name + " dbeta (float32)", numbers(c["dbeta"]), dbeta, 1e-5);
    }
}

TEST_CASE("a large group: the lane sums agree with a plain two-pass computation, in double and float") {
    // (3, 12, 13, 11) under G = 4: groups of 3·143 = 429 values (not a multiple of the lanes or blocks),
    // far from zero.
    const Layout L{3, 12, 143};
    Norm norm;
    norm.kind = NormKind::group;
    norm.groups = 4;
    std::vector<double> x(L.size()), gamma(L.C, 1.0), beta(L.C, 0.0);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = 1000 + std::sin(0.37 * static_cast<double>(i)) * 3;
    std::vector<double> y(L.size()), mean(12), var(12), rstd(12);
    bnkata::normalize_forward(y.data(), mean.data(), var.data(), rstd.data(), x.data(), gamma.data(), beta.data(), L,
                              norm, 1e-5);
    const std::vector<float> xf(x.begin(), x.end()), gf(L.C, 1.0f), bf(L.C, 0.0f);
    std::vector<float> yf(L.size()), meanf(12), varf(12), rstdf(12);
    bnkata::normalize_forward(yf.data(), meanf.data(), varf.data(), rstdf.data(), xf.data(), gf.data(), bf.data(), L,
                              norm, 1e-5);
    for (std::size_t s = 0; s < 12; ++s) {
        CAPTURE(s);
        const auto v = pick(x, members(L, norm, s));
        CHECK(std::fabs(mean[s] - mean_of(v)) < 1e-10);
        CHECK(std::fabs(var[s] - biased_var_of(v)) < 1e-10);
        // float: 1000 is worth 6e-5 in a float's last place; the statistics must not be worse than that.
        const std::vector<double> vf = pick(std::vector<double>(xf.begin(), xf.end()), members(L, norm, s));
        CHECK(std::fabs(meanf[s] - mean_of(vf)) < 1e-4);
        CHECK(std::fabs(varf[s] - biased_var_of(vf)) / biased_var_of(vf) < 1e-5);
    }
}

TEST_CASE("layer norm is group norm with one group, instance norm group norm with one group per channel") {
    const json x = {{{{1, 2}, {3, 5}}, {{-1, 0.5}, {2, 8}}, {{0, 0}, {1, -4}}, {{7, 6}, {5, 4}}},
                    {{{2, 2}, {2, 2.5}}, {{3, -3}, {1, 0}}, {{9, 1}, {1, 9}}, {{0.5, 0.25}, {0, 1}}}};
    const json common = {{"x", x}, {"gamma", {1, 2, 0.5, -1}}, {"beta", {0, 1, -1, 0.5}}};
    auto with = [&](json request) {
        request.update(common);
        return ask(request);
    };
    CHECK(with({{"op", "normalize"}, {"kind", "layer"}}) == with({{"op", "normalize"}, {"kind", "group"}, {"groups", 1}}));
    CHECK(with({{"op", "normalize"}, {"kind", "instance"}}) ==
          with({{"op", "normalize"}, {"kind", "group"}, {"groups", 4}}));
    const json dy = {{{{1, 0}, {0, 0}}, {{0, 1}, {0, 0}}, {{0, 0}, {1, 0}}, {{0, 0}, {0, 1}}},
                     {{{1, 1}, {1, 1}}, {{-1, 0}, {0, 2}}, {{3, 0}, {0, 0}}, {{0, 0.5}, {0, 0}}}};
    CHECK(with({{"op", "normalize_backward"}, {"kind", "layer"}, {"dy", dy}}) ==
          with({{"op", "normalize_backward"}, {"kind", "group"}, {"groups", 1}, {"dy", dy}}));
    SUBCASE("and batch normalize is forward_train and backward") {
        const json bn = with({{"op", "forward_train"}});
        const json norm = with({{"op", "normalize"}, {"kind", "batch"}});
        CHECK(norm["y"] == bn["y"]);
        CHECK(norm["mean"] == bn["batch_mean"]);
        CHECK(norm["var"] == bn["batch_var"]);
        CHECK(with({{"op", "normalize_backward"}, {"kind", "batch"}, {"dy", dy}}) == with({{"op", "backward"}, {"dy", dy}}));
    }
}

TEST_CASE("the statistics are laid out [C] for batch and [N][G] for the others") {
    const json x = {{{{1, 2}}, {{3, 4}}, {{5, 6}}, {{7, 9}}}, {{{0, 0}}, {{1, 1}}, {{2, 4}}, {{8, 16}}}};  // (2, 4, 1, 2)
    const json batch = ask({{"op", "normalize"}, {"kind", "batch"}, {"x", x}});
    // Hand derivation: channel 0 holds 1, 2, 0, 0 → mean 0.75, variance (0.0625 + 1.5625 + 0.5625·2)/4.
    CHECK(batch["mean"][0] == 0.75);
    CHECK(batch["var"][0] == 0.6875);
    CHECK(batch["mean"].size() == 4);
    const json layer = ask({{"op", "normalize"}, {"kind", "layer"}, {"x", x}});
    CHECK(layer["mean"] == json({{4.625}, {4.0}}));  // [N][1]: example 0's eight values sum to 37
    const json instance = ask({{"op", "normalize"}, {"kind", "instance"}, {"x", x}});
    CHECK(instance["mean"] == json({{1.5, 3.5, 5.5, 8}, {0, 1, 3, 12}}));
    CHECK(instance["var"][1] == json({0, 0, 1, 16}));
    const json group = ask({{"op", "normalize"}, {"kind", "group"}, {"groups", 2}, {"x", x}});
    CHECK(group["mean"] == json({{2.5, 6.75}, {0.5, 7.5}}));
}

TEST_CASE("normalize answers PyTorch's float64 functional batch_norm and group_norm (1e-9 forward, 1e-8 backward)") {
    for (const auto& c : torch_cases()["cases"]) {
        const std::string name = c["name"].get<std::string>();
        CAPTURE(name);
        json request = c["request"];
        request["op"] = "normalize";
        const json forward = ask(request);
        request["op"] = "normalize_backward";
        request["dy"] = c["dy"];
        const json backward = ask(request);
        REQUIRE_FALSE(forward.contains("error"));
        REQUIRE_FALSE(backward.contains("error"));
        CHECK_TENSOR(name + " dbeta", flat(c["dbeta"]), flat(backward["dbeta"]), 1e-8);
        CHECK_TENSOR(name + " mean", flat(c["mean"]), flat(forward["mean"]), 1e-9);
        const char* const tensors[] = {"y", "var", "dx", "dgamma"};
        const double tolerance[] = {1e-9, 1e-9, 1e-8, 1e-8};

        // At 1e8 + N(0, 1), PyTorch's y = x·a + b rounds x·a, a number near 1e8, to 1.5e-8: it is a few 1e-8
        // from the exact answer (generate_normalize_torch.py), more than 1e-9. There the test asks more of
        // us: to be at double's own limit against the exact answer — the mean, rounded to a double at 1e8,
        // is worth 7.5e-9 over σ ≈ 1 — and from PyTorch no further than PyTorch is from the exact answer
        // plus that. Everywhere else PyTorch is within 2e-13 of the exact answer, and so must we be within
        // 1e-9 of it.
        const bool at_offset = c["torch_y_error"].get<double>() > 1e-9;
        const double exact_tolerance[] = {2e-8, 1e-12, 2e-8, 5e-8};
        for (std::size_t t = 0; t < 4; ++t) {
            const std::string field = tensors[t];
            const json& ours = t < 2 ? forward[field] : backward[field];
            if (!at_offset) {
                CHECK_TENSOR(name + " " + field, flat(c[field]), flat(ours), tolerance[t]);
                continue;
            }
            const auto exact = flat(c["exact"][field]), torch = flat(c[field]);
            double torch_error = 0;
            for (std::size_t i = 0; i < exact.size(); ++i) torch_error = std::max(torch_error, std::fabs(torch[i] - exact[i]));
            CAPTURE(torch_error);
            CHECK_TENSOR(name + " " + field + " vs the exact answer", exact, flat(ours), exact_tolerance[t]);
            CHECK_TENSOR(name + " " + field + " vs PyTorch", torch, flat(ours),
                         std::max(tolerance[t], torch_error + exact_tolerance[t]));
        }
    }
}

TEST_CASE("bad normalize requests are answered with an error naming the field, never a crash") {
    const json x = {{1, 2, 3, 4}, {5, 6, 7, 9}};  // (N, C) = (2, 4)
    struct Bad {
        const char* what;
        json request;
        const char* field;
        const char* words;
    };
    const std::vector<Bad> bad = {
        {"no kind", {{"x", x}}, "kind", "missing"},
        {"unknown kind", {{"kind", "weight"}, {"x", x}}, "kind", "unknown kind \"weight\""},
        {"kind not a string", {{"kind", 2}, {"x", x}}, "kind", "expected a string"},
        {"groups not dividing C", {{"kind", "group"}, {"groups", 3}, {"x", x}}, "groups", "divides C = 4 (1, 2 or 4), got 3"},
        {"groups missing for group", {{"kind", "group"}, {"x", x}}, "groups", "missing"},
        {"groups zero", {{"kind", "group"}, {"groups", 0}, {"x", x}}, "groups", "got 0"},
        {"groups not whole", {{"kind", "group"}, {"groups", 1.5}, {"x", x}}, "groups", "got 1.5"},
        {"groups above C", {{"kind", "group"}, {"groups", 8}, {"x", x}}, "groups", "got 8"},
        {"groups a string", {{"kind", "group"}, {"groups", "2"}, {"x", x}}, "groups", "expected a number"},
        {"groups on layer", {{"kind", "layer"}, {"groups", 2}, {"x", x}}, "groups", "only the \"group\" kind"},
        {"groups on batch", {{"kind", "batch"}, {"groups", 1}, {"x", x}}, "groups", "only the \"group\" kind"},
        {"groups on instance", {{"kind", "instance"}, {"groups", 4}, {"x", x}}, "groups", "only the \"group\" kind"},
        {"gamma of the wrong length", {{"kind", "layer"}, {"x", x}, {"gamma", {1, 2}}}, "gamma", "expected 4 values"},
        {"beta not numbers", {{"kind", "layer"}, {"x", x}, {"beta", {1, "b", 0, 0}}}, "beta", "element [1]"},
        // JSON has no NaN: a NaN in a JSON library's array (or JavaScript's JSON.stringify) is written null.
        {"NaN in x", {{"kind", "layer"}, {"x", {{1, 2}, {NAN, 4}}}}, "x", "element [1][0] is null"},
        {"ragged x", {{"kind", "instance"}, {"x", {{1, 2}, {3}}}}, "x", "ragged"},
        {"a 1-D x", {{"kind", "layer"}, {"x", {1, 2, 3}}}, "x", "expected [N][C] or [N][C][H][W]"},
        {"x missing", {{"kind", "batch"}}, "x", "missing"},
        {"negative eps", {{"kind", "group"}, {"groups", 2}, {"x", x}, {"eps", -1}}, "eps", "positive"},
        {"a spread whose variance overflows a double", {{"kind", "layer"}, {"x", {{1e308, -1e308}}}}, "x", "overflow a double"},
        {"the same overflow under batch", {{"kind", "batch"}, {"x", {{1e308}, {-1e308}}}}, "x", "overflow a double"},
        // The variance of [1e154, −1e154] (1e308) fits, but the squares it is summed from do not: never 0.
        {"squares of the spread overflow (layer)", {{"kind", "layer"}, {"x", {{1e154, -1e154}}}}, "x", "overflow a double"},
        {"squares of the spread overflow (instance)", {{"kind", "instance"}, {"x", json::parse("[[[[1e154, -1e154]]]]")}}, "x", "overflow a double"},
        {"squares of the spread overflow (batch)", {{"kind", "batch"}, {"x", {{1e154}, {-1e154}}}}, "x", "overflow a double"},
    };
    for (const char* op : {"normalize", "normalize_backward"})
        for (const Bad& b : bad) {
            CAPTURE(op);
            CAPTURE(b.what);
            json request = b.request;
            request["op"] = op;
            if (std::string(op) == "normalize_backward" && request.contains("x")) request["dy"] = request["x"];
            const json response = ask(request);
            INFO("response: " << response.dump());
            REQUIRE(response.contains("error"));
            CHECK(response.size() == 1);  // an error is only an error: no half-answers beside it
            CHECK(response["error"]["field"] == b.field);
            CHECK(response["error"]["message"].get<std::string>().find(b.words) != std::string::npos);
        }
    SUBCASE("NaN typed into the request text is not JSON") {
        const json r = bnkata::compute_text(R"({"op":"normalize","kind":"layer","x":[[1,2],[NaN,4]]})");
        CHECK(r["error"]["field"] == "request");
    }
    SUBCASE("dy of another shape") {
        const json r = ask({{"op", "normalize_backward"}, {"kind", "layer"}, {"x", x}, {"dy", {{1, 2}, {3, 4}}}});
        CHECK(r["error"]["field"] == "dy");
    }
}

TEST_CASE("one value per statistic: σ² = 0, y = β, and a warning says why") {
    const json r = ask({{"op", "normalize"}, {"kind", "instance"}, {"x", {{1, 2}, {3, 4}}}, {"beta", {0.5, -1}}});
    CHECK(r["y"] == json({{0.5, -1}, {0.5, -1}}));
    CHECK(r["warning"].get<std::string>().find("only one value") != std::string::npos);
    CHECK_FALSE(ask({{"op", "normalize"}, {"kind", "layer"}, {"x", {{1, 2}, {3, 4}}}}).contains("warning"));
}
