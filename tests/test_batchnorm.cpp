// test_batchnorm.cpp — the kernels against the kata's claims.
//
// "Result of" tests compare with numbers from outside this code: hand derivations written next to them,
// or tests/fixtures/generate.py (numpy). "Definition of" tests check the invariants that make BN what
// it is. Every comparison states its tolerance.
#include <doctest/doctest.h>

#include "bnkata/batchnorm.hpp"
#include "bnkata/gradient_check.hpp"
#include "fixtures.hpp"
#include "tensor_checker.hpp"

#include <cmath>
#include <vector>

using bnkata::Layout;
using bnkata_test::fixtures;
using bnkata_test::layout_of;
using bnkata_test::biased_var_of;
using bnkata_test::mean_of;
using bnkata_test::numbers;

namespace {

// Everything the double-precision kernels say about one fixture case.
struct BnRun {
    std::vector<double> y, mean, var, rstd, y_eval, dx, dgamma, dbeta;
};

BnRun run_bn_case(const nlohmann::json& c) {
    const Layout L = layout_of(c["shape"]);
    const auto x = numbers(c["x"]), gamma = numbers(c["gamma"]), beta = numbers(c["beta"]), dy = numbers(c["dy"]);
    const auto rm = numbers(c["running_mean"]), rv = numbers(c["running_var"]);
    const double eps = c["eps"].get<double>();
    BnRun r;
    r.y.resize(L.size()); r.y_eval.resize(L.size()); r.dx.resize(L.size());
    r.mean.resize(L.C); r.var.resize(L.C); r.rstd.resize(L.C); r.dgamma.resize(L.C); r.dbeta.resize(L.C);
    bnkata::forward_train(r.y.data(), r.mean.data(), r.var.data(), r.rstd.data(), x.data(), gamma.data(), beta.data(),
                          L, eps);
    bnkata::forward_eval(r.y_eval.data(), x.data(), gamma.data(), beta.data(), rm.data(), rv.data(), L, eps);
    bnkata::backward(r.dx.data(), r.dgamma.data(), r.dbeta.data(), dy.data(), x.data(), r.mean.data(), r.rstd.data(),
                     gamma.data(), L);
    return r;
}

// Per channel c, the values of a (N, C, HW) tensor that share it.
std::vector<double> channel_values(const std::vector<double>& t, Layout L, std::size_t c) {
    std::vector<double> out;
    for (std::size_t n = 0; n < L.N; ++n)
        for (std::size_t p = 0; p < L.HW; ++p) out.push_back(t[(n * L.C + c) * L.HW + p]);
    return out;
}

}  // namespace

TEST_CASE("the seed's example: x = [1, 2, 3, 4] has mean 2.5, variance 1.25 and normalises to the printed digits") {
    // Hand derivation: μ = 2.5; σ² = (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25 (the biased one, np.var's);
    // x̂ = (x − 2.5)/√1.25001 = [−1.341635, −0.447212, 0.447212, 1.341635];
    // mean(x̂) = 0 and var(x̂) = 1.25/1.25001 = 0.999992 (not 1: that is ε's doing).
    const std::vector<double> x = {1, 2, 3, 4}, gamma = {1}, beta = {0};
    std::vector<double> y(4), mean(1), var(1), rstd(1);
    bnkata::forward_train(y.data(), mean.data(), var.data(), rstd.data(), x.data(), gamma.data(), beta.data(),
                          Layout{4, 1, 1}, 1e-5);
    CHECK(mean[0] == 2.5);
    CHECK(var[0] == 1.25);
    CHECK_TENSOR("x-hat, to the kata's 6 printed decimals", std::vector<double>({-1.341635, -0.447212, 0.447212, 1.341635}),
                 y, 5e-7);
    CHECK(std::fabs(mean_of(y)) < 1e-15);
    CHECK(std::fabs(biased_var_of(y) - 0.999992) < 5e-7);
    CHECK(std::fabs(biased_var_of(y) - 1.25 / 1.25001) < 1e-14);
    CHECK(rstd[0] == doctest::Approx(1 / std::sqrt(1.25001)).epsilon(1e-15));
}

TEST_CASE("forward_train matches the numpy reference for [m], (N, C) and (N, C, H, W)") {
    for (const auto& c : fixtures()["cases"]) {
        const std::string name = c["name"].get<std::string>();
        CAPTURE(name);
        const BnRun r = run_bn_case(c);
        CHECK_TENSOR(name + " y", numbers(c["y"]), r.y, 1e-12);
        CHECK_TENSOR(name + " batch mean", numbers(c["batch_mean"]), r.mean, 1e-13);
        CHECK_TENSOR(name + " batch variance (biased)", numbers(c["batch_var"]), r.var, 1e-13);
    }
}

TEST_CASE("batch_statistics gives the biased variance (÷m) and the unbiased one (÷(m−1)), NaN for m = 1") {
    for (const auto& c : fixtures()["cases"]) {
        const Layout L = layout_of(c["shape"]);
        const auto x = numbers(c["x"]);
        std::vector<double> mean(L.C), biased(L.C), unbiased(L.C);
        bnkata::batch_statistics(mean.data(), biased.data(), unbiased.data(), x.data(), L);
        CHECK_TENSOR(c["name"].get<std::string>() + " unbiased variance", numbers(c["batch_var_unbiased"]), unbiased,
                     1e-13);
    }
    const double one[1] = {7};
    double mean = 0, biased = -1, unbiased = 0;
    bnkata::batch_statistics(&mean, &biased, &unbiased, one, Layout{1, 1, 1});
    CHECK(mean == 7);
    CHECK(biased == 0);
    CHECK(std::isnan(unbiased));
}

TEST_CASE("definition of training-mode BN: per channel, mean(y) = β and var(y) = γ²σ²/(σ² + ε)") {
    for (const auto& c : fixtures()["cases"]) {
        const std::string name = c["name"].get<std::string>();
        CAPTURE(name);
        const Layout L = layout_of(c["shape"]);
        const auto x = numbers(c["x"]), gamma = numbers(c["gamma"]), beta = numbers(c["beta"]);
        const double eps = c["eps"].get<double>();
        const BnRun r = run_bn_case(c);
        for (std::size_t ch = 0; ch < L.C; ++ch) {
            CAPTURE(ch);
            const double sigma2 = biased_var_of(channel_values(x, L, ch));
            const auto y = channel_values(r.y, L, ch);
            CHECK(std::fabs(mean_of(y) - beta[ch]) < 1e-14);
            CHECK(std::fabs(biased_var_of(y) - gamma[ch] * gamma[ch] * sigma2 / (sigma2 + eps)) < 1e-13);
        }
    }
}

TEST_CASE("a channel at 1e8 + N(0, 1) still normalises to within 1e-6 of the exact result, "
          "where the one-pass E[x²] − E[x]² is far off") {
    const auto& o = fixtures()["offset"];
    const auto x = numbers(o["x"]);
    const double exact_var = o["var"].get<double>();  // numpy, two passes in 64-bit-mantissa long double
    const Layout L{x.size(), 1, 1};
    const double gamma = 1, beta = 0;
    std::vector<double> y(x.size());
    double mean = 0, var = 0, rstd = 0;
    bnkata::forward_train(y.data(), &mean, &var, &rstd, x.data(), &gamma, &beta, L, o["eps"].get<double>());

    CHECK_TENSOR("x-hat at 1e8 offset", numbers(o["xhat"]), y, 1e-6);
    CHECK(std::fabs(var - exact_var) < 1e-6);

    // The formula the two-pass version avoids, in the same double precision: the variance drowns in the
    // rounding of E[x²] ≈ 1e16, whose last bit alone is worth 2.
    double sum = 0, sum_sq = 0;
    for (double v : x) {
        sum += v;
        sum_sq += v * v;
    }
    const double n = static_cast<double>(x.size());
    const double naive_var = sum_sq / n - (sum / n) * (sum / n);
    CAPTURE(naive_var);
    CAPTURE(exact_var);
    CHECK(std::fabs(naive_var - exact_var) > 0.5);
}

TEST_CASE("forward_eval normalises with the running statistics, not the batch's") {
    for (const auto& c : fixtures()["cases"]) {
        const BnRun r = run_bn_case(c);
        CHECK_TENSOR(c["name"].get<std::string>() + " y (eval)", numbers(c["y_eval"]), r.y_eval, 1e-12);
    }
    SUBCASE("each example's output depends on that example alone") {
        // Hand derivation: running mean 1, variance 4 − ε, γ = 2, β = 0.5 → y = 2·(x − 1)/2 + 0.5 = x − 0.5.
        const std::vector<double> x = {3, -1, 10}, gamma = {2}, beta = {0.5}, rm = {1}, rv = {4 - 1e-5};
        std::vector<double> y(3), y_alone(1);
        bnkata::forward_eval(y.data(), x.data(), gamma.data(), beta.data(), rm.data(), rv.data(), Layout{3, 1, 1}, 1e-5);
        bnkata::forward_eval(y_alone.data(), x.data() + 2, gamma.data(), beta.data(), rm.data(), rv.data(),
                             Layout{1, 1, 1}, 1e-5);
        CHECK_TENSOR("y = x − 0.5", std::vector<double>({2.5, -1.5, 9.5}), y, 1e-15);
        CHECK(y_alone[0] == y[2]);
    }
}

TEST_CASE("backward's closed form matches numpy's node-by-node backpropagation") {
    for (const auto& c : fixtures()["cases"]) {
        const std::string name = c["name"].get<std::string>();
        const BnRun r = run_bn_case(c);
        CHECK_TENSOR(name + " dx", numbers(c["dx"]), r.dx, 1e-12);
        CHECK_TENSOR(name + " dgamma", numbers(c["dgamma"]), r.dgamma, 1e-12);
        CHECK_TENSOR(name + " dbeta", numbers(c["dbeta"]), r.dbeta, 1e-12);
    }
}

TEST_CASE("definition of the backward pass: per channel Σ dx = 0 and dβ = Σ dy") {
    for (const auto& c : fixtures()["cases"]) {
        CAPTURE(c["name"].get<std::string>());
        const Layout L = layout_of(c["shape"]);
        const auto dy = numbers(c["dy"]);
        const BnRun r = run_bn_case(c);
        for (std::size_t ch = 0; ch < L.C; ++ch) {
            CAPTURE(ch);
            const auto dx = channel_values(r.dx, L, ch);
            // Σ dx = 0: shifting a whole channel by a constant leaves y unchanged.
            CHECK(std::fabs(mean_of(dx)) < 1e-14);
            CHECK(std::fabs(r.dbeta[ch] - mean_of(channel_values(dy, L, ch)) * static_cast<double>(L.count())) < 1e-13);
        }
    }
}

TEST_CASE("backward passes a finite-difference gradient check at relative error ≤ 1e-8 (double)") {
    // Loss L = Σ w ⊙ y for a fixed random w, so ∂L/∂y = w is the dy fed to backward.
    for (const auto& c : fixtures()["cases"]) {
        const std::string name = c["name"].get<std::string>();
        CAPTURE(name);
        const Layout L = layout_of(c["shape"]);
        const auto x = numbers(c["x"]), gamma = numbers(c["gamma"]), beta = numbers(c["beta"]), w = numbers(c["dy"]);
        const double eps = c["eps"].get<double>();
        auto loss = [&](const std::vector<double>& xs, const std::vector<double>& g, const std::vector<double>& b) {
            std::vector<double> y(L.size()), mean(L.C), rstd(L.C);
            bnkata::forward_train(y.data(), mean.data(), static_cast<double*>(nullptr), rstd.data(), xs.data(), g.data(),
                                  b.data(), L, eps);
            double s = 0;
            for (std::size_t i = 0; i < y.size(); ++i) s += w[i] * y[i];
            return s;
        };
        const BnRun r = run_bn_case(c);

        SUBCASE("dx") {
            const auto check = bnkata::check_gradient([&](const std::vector<double>& xs) { return loss(xs, gamma, beta); },
                                                      x, r.dx);
            CAPTURE(check.worst_index);
            CHECK(check.max_relative_error <= 1e-8);
        }
        SUBCASE("dgamma") {
            const auto check = bnkata::check_gradient([&](const std::vector<double>& g) { return loss(x, g, beta); },
                                                      gamma, r.dgamma);
            CHECK(check.max_relative_error <= 1e-8);
        }
        SUBCASE("dbeta") {
            const auto check = bnkata::check_gradient([&](const std::vector<double>& b) { return loss(x, gamma, b); },
                                                      beta, r.dbeta);
            CHECK(check.max_relative_error <= 1e-8);
        }
    }
}

TEST_CASE("the gradient checker rejects the gradient that forgets μ and σ² depend on x") {
    // dx = γ·rstd·dy is what one gets by treating the batch statistics as constants: a classic mistake.
    const auto& c = fixtures()["cases"][1];
    const Layout L = layout_of(c["shape"]);
    const auto x = numbers(c["x"]), gamma = numbers(c["gamma"]), beta = numbers(c["beta"]), w = numbers(c["dy"]);
    const BnRun r = run_bn_case(c);
    std::vector<double> wrong(L.size());
    for (std::size_t i = 0; i < wrong.size(); ++i) wrong[i] = gamma[i % L.C] * r.rstd[i % L.C] * w[i];
    const auto check = bnkata::check_gradient(
        [&](const std::vector<double>& xs) {
            std::vector<double> y(L.size()), mean(L.C), rstd(L.C);
            bnkata::forward_train(y.data(), mean.data(), static_cast<double*>(nullptr), rstd.data(), xs.data(),
                                  gamma.data(), beta.data(), L, 1e-5);
            double s = 0;
            for (std::size_t i = 0; i < y.size(); ++i) s += w[i] * y[i];
            return s;
        },
        x, wrong);
    CHECK(check.max_relative_error > 1e-2);
    CHECK_TENSOR("numeric gradient = the closed form", r.dx, check.numeric, 1e-8);
}

TEST_CASE("running statistics, one step from (0, 1) on x = [1, 2, 3, 4]") {
    // Hand derivation: batch mean 2.5, biased variance 1.25, unbiased 5/3.
    const double batch_mean = 2.5, batch_var = 1.25;
    double rm = 0, rv = 1;
    SUBCASE("pytorch (momentum 0.1 weights the new batch; stores the unbiased variance): mean 0.25, var 1.066667") {
        CHECK(bnkata::convention_info(bnkata::Convention::pytorch).default_momentum == 0.1);
        bnkata::update_running(&rm, &rv, &batch_mean, &batch_var, 1, 4, 0.1, bnkata::Convention::pytorch);
        CHECK(std::fabs(rm - 0.25) < 1e-15);
        CHECK(std::fabs(rv - (0.9 + 0.1 * 5.0 / 3.0)) < 1e-15);  // 1.0666…
        CHECK(std::fabs(rv - 1.066667) < 5e-7);
    }
    SUBCASE("keras (momentum 0.99 weights the old value; stores the biased variance): mean 0.025, var 1.0025") {
        CHECK(bnkata::convention_info(bnkata::Convention::keras).default_momentum == 0.99);
        bnkata::update_running(&rm, &rv, &batch_mean, &batch_var, 1, 4, 0.99, bnkata::Convention::keras);
        CHECK(std::fabs(rm - 0.025) < 1e-15);
        CHECK(std::fabs(rv - 1.0025) < 1e-15);
    }
}

TEST_CASE("running statistics match numpy under both conventions, per channel") {
    for (const auto& c : fixtures()["cases"]) {
        const std::string name = c["name"].get<std::string>();
        const Layout L = layout_of(c["shape"]);
        const auto x = numbers(c["x"]);
        std::vector<double> mean(L.C), var(L.C);
        bnkata::batch_statistics(mean.data(), var.data(), nullptr, x.data(), L);
        for (const char* convention : {"pytorch", "keras"}) {
            const bool pytorch = std::string(convention) == "pytorch";
            auto rm = numbers(c["running_mean"]), rv = numbers(c["running_var"]);
            bnkata::update_running(rm.data(), rv.data(), mean.data(), var.data(), L.C, L.count(), pytorch ? 0.1 : 0.99,
                                   pytorch ? bnkata::Convention::pytorch : bnkata::Convention::keras);
            CHECK_TENSOR(name + " " + convention + " running mean",
                         numbers(c[std::string(convention) + "_running_mean"]), rm, 1e-14);
            CHECK_TENSOR(name + " " + convention + " running var", numbers(c[std::string(convention) + "_running_var"]),
                         rv, 1e-14);
        }
    }
}

TEST_CASE("the float32 path agrees with the double path to float precision") {
    for (const auto& c : fixtures()["cases"]) {
        const std::string name = c["name"].get<std::string>();
        const Layout L = layout_of(c["shape"]);
        auto to_float = [](const std::vector<double>& v) { return std::vector<float>(v.begin(), v.end()); };
        const auto x = to_float(numbers(c["x"])), gamma = to_float(numbers(c["gamma"])),
                   beta = to_float(numbers(c["beta"])), dy = to_float(numbers(c["dy"]));
        std::vector<float> y(L.size()), dx(L.size()), mean(L.C), var(L.C), rstd(L.C), dgamma(L.C), dbeta(L.C);
        bnkata::forward_train(y.data(), mean.data(), var.data(), rstd.data(), x.data(), gamma.data(), beta.data(), L,
                              1e-5);
        bnkata::backward(dx.data(), dgamma.data(), dbeta.data(), dy.data(), x.data(), mean.data(), rstd.data(),
                         gamma.data(), L);
        // Inputs rounded to float carry relative errors of 6e-8; a few operations later, 1e-5 is generous but
        // still far below any mistake in the formulas.
        CHECK_TENSOR(name + " y (float32)", numbers(c["y"]), y, 1e-5);
        CHECK_TENSOR(name + " dx (float32)", numbers(c["dx"]), dx, 1e-5);
        CHECK_TENSOR(name + " dgamma (float32)", numbers(c["dgamma"]), dgamma, 1e-5);
    }
}

TEST_CASE("a large (N, C) batch: the vectorised loops agree with a plain per-channel computation") {
    // 37 × 19 (odd sizes: loop remainders) with values far from zero.
    const Layout L{37, 19, 1};
    std::vector<double> x(L.size()), dy(L.size()), gamma(L.C, 1.5), beta(L.C, -0.25);
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = 1000 + std::sin(0.37 * static_cast<double>(i)) * 3;
        dy[i] = std::cos(0.11 * static_cast<double>(i));
    }
    std::vector<double> y(L.size()), mean(L.C), var(L.C), rstd(L.C);
    bnkata::forward_train(y.data(), mean.data(), var.data(), rstd.data(), x.data(), gamma.data(), beta.data(), L, 1e-5);
    for (std::size_t c = 0; c < L.C; ++c) {
        const auto v = channel_values(x, L, c);
        CHECK(std::fabs(mean[c] - mean_of(v)) < 1e-10);
        CHECK(std::fabs(var[c] - biased_var_of(v)) < 1e-10);
    }
}

TEST_CASE("the float32 path keeps its digits at an offset too (1e4 + spread 1), where float's E[x²] − E[x]² fails") {
    // float has 24 bits: at 1e4 one unit in the last place is 2^-10 ≈ 0.001, so values of spread ~1 are
    // still well represented, but x² ≈ 1e8 keeps only ~8 units of precision and E[x²] − E[x]² is noise.
    const std::size_t M = 1000;
    std::vector<float> x(M);
    for (std::size_t i = 0; i < M; ++i) x[i] = 1e4f + static_cast<float>(std::sin(1.7 * static_cast<double>(i)) * 1.5);
    // Reference: the same float values, statistics in double with two plain passes.
    const std::vector<double> xd(x.begin(), x.end());
    const double exact_mean = mean_of(xd), exact_var = biased_var_of(xd);

    const float gamma = 1, beta = 0;
    std::vector<float> y(M);
    float mean = 0, var = 0, rstd = 0;
    bnkata::forward_train(y.data(), &mean, &var, &rstd, x.data(), &gamma, &beta, Layout{M, 1, 1}, 1e-5);
    CHECK(std::fabs(var - exact_var) / exact_var < 1e-5);
    std::vector<double> want(M);
    for (std::size_t i = 0; i < M; ++i) want[i] = (xd[i] - exact_mean) / std::sqrt(exact_var + 1e-5);
    // Tolerance: the mean itself is stored as a float (half a unit at 1e4 is 5e-4), over σ ≈ 1.
    CHECK_TENSOR("x-hat at 1e4 offset (float32)", want, y, 2e-3);

    float sum = 0, sum_sq = 0;
    for (float v : x) {
        sum += v;
        sum_sq += v * v;
    }
    const float naive_var = sum_sq / M - (sum / M) * (sum / M);
    CAPTURE(naive_var);
    CAPTURE(exact_var);
    CHECK(std::fabs(naive_var - exact_var) > 0.5);
}

TEST_CASE("an outlier in the first example (the value the statistics are shifted by) costs no accuracy") {
    // The worst case for the shift K = x[0]: K as far from the mean as the data allows (Samuelson's bound).
    const std::size_t M = 1000;
    std::vector<double> x(M);
    x[0] = 1e6;
    for (std::size_t i = 1; i < M; ++i) x[i] = 1 + 1e-3 * std::sin(0.9 * static_cast<double>(i));
    const double gamma = 1, beta = 0;
    std::vector<double> y(M);
    double mean = 0, var = 0, rstd = 0;
    bnkata::forward_train(y.data(), &mean, &var, &rstd, x.data(), &gamma, &beta, Layout{M, 1, 1}, 1e-5);
    // What normalisation feels is the mean's error in units of σ (x̂ = (x − mean)/σ), and var's relative error.
    const double sigma = std::sqrt(biased_var_of(x));
    CHECK(std::fabs(mean - mean_of(x)) / sigma < 1e-12);
    CHECK(std::fabs(var - biased_var_of(x)) / biased_var_of(x) < 1e-12);
    std::vector<double> want(M);
    for (std::size_t i = 0; i < M; ++i) want[i] = (x[i] - mean_of(x)) / std::sqrt(biased_var_of(x) + 1e-5);
    CHECK_TENSOR("x-hat with an outlier first", want, y, 1e-12);
}
