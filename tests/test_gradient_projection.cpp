// The gradient_projection op: what batch norm's backward pass does to the upstream gradient δ, and the
// bound behind Santurkar et al.'s Theorem 4.1, ‖∂ℓ/∂x‖² ≤ γ²/(σ²+ε)·(‖δ‖² − (Σδ)²/m − (δ·x̂)²/m),
// asserted on many random batches (including tiny variances, where ε matters, and γ/s > 1, where the
// gradient grows).
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "bnkata/compute.hpp"

using nlohmann::json;
using Vec = std::vector<double>;

namespace {
double dot(const Vec& a, const Vec& b) { double s = 0; for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i]; return s; }
double sum(const Vec& v) { double s = 0; for (double e : v) s += e; return s; }
json project(const Vec& x, const Vec& dy, double gamma, double eps) {
    return bnkata::compute(json{{"op", "gradient_projection"}, {"x", x}, {"dy", dy}, {"gamma", gamma}, {"eps", eps}});
}
}  // namespace

TEST_CASE("the bound ‖∂ℓ/∂x‖² ≤ γ²/(σ²+ε)·(‖δ‖² − (Σδ)²/m − (δ·x̂)²/m) holds on 2,000 random batches") {
    std::mt19937_64 rng(20180529);  // fixed: the same batches on every run
    std::uniform_int_distribution<int> size(2, 40);
    std::uniform_real_distribution<double> unit(-1, 1), log_scale(-4, 3), log_gamma(-2, 2), log_eps(-8, 0);
    for (int trial = 0; trial < 2000; ++trial) {
        const int m = size(rng);
        const double spread = std::pow(10.0, log_scale(rng)), offset = 10 * unit(rng);
        Vec x, dy;
        for (int i = 0; i < m; ++i) {
            x.push_back(offset + spread * unit(rng));
            dy.push_back(unit(rng));
        }
        const double gamma = std::pow(10.0, log_gamma(rng)), eps = std::pow(10.0, log_eps(rng));
        CAPTURE(trial);
        const json r = project(x, dy, gamma, eps);
        REQUIRE_FALSE(r.contains("error"));
        const double dx2 = r["dx_norm_squared"], bound = r["bound"];
        CHECK(dx2 <= bound * (1 + 1e-12) + 1e-300);
        // The projection shrinks: ‖Pδ‖ ≤ ‖δ − mean δ‖ ≤ ‖δ‖ (each step removes a component).
        CHECK(r["norms"]["projected"].get<double>() <= r["norms"]["centred"].get<double>() * (1 + 1e-12));
        CHECK(r["norms"]["centred"].get<double>() <= r["norms"]["dy"].get<double>() * (1 + 1e-12));
        // ∂ℓ/∂x = (γ/s)·Pδ, and it is the core's backward op's dx.
        const Vec dx = r["dx"], projected = r["projected"];
        const double scale = r["scale"];
        const json b = bnkata::compute(json{{"op", "backward"}, {"x", x}, {"dy", dy}, {"gamma", {gamma}}, {"eps", eps}});
        const Vec dx_backward = b["dx"];
        for (int i = 0; i < m; ++i) {
            CHECK(std::fabs(dx[i] - dx_backward[i]) <= 1e-12 * (1 + std::fabs(dx_backward[i])));
            CHECK(std::fabs(dx[i] - scale * projected[i]) <= 1e-9 * (1 + std::fabs(dx[i])) * (1 + scale));
        }
    }
}

TEST_CASE("Pδ has no mean and (up to ε) no component along x̂") {
    const Vec x = {1, 2, 3, 4}, dy = {0.1, -0.2, 0.3, 0.05};
    const json r = project(x, dy, 1, 1e-5);
    const Vec p = r["projected"], xhat = r["xhat"];
    CHECK(std::fabs(sum(p)) < 1e-15);
    CHECK(std::fabs(dot(p, xhat)) < 1e-5);
    CHECK(r["scale"].get<double>() == doctest::Approx(1 / std::sqrt(1.25 + 1e-5)).epsilon(1e-14));
}

TEST_CASE("with γ/s > 1 the gradient can grow, and the bound says by how much at most") {
    // x spread tiny (σ² = 1.25e-6), γ = 1: s ≈ 3.3e-3, so γ/s ≈ 300.
    const Vec x = {0.001, 0.002, 0.003, 0.004}, dy = {0.5, -0.5, 0.25, -0.1};
    const json r = project(x, dy, 1, 1e-6);
    CHECK(r["scale"].get<double>() > 100);
    CHECK(r["norms"]["dx"].get<double>() > r["norms"]["dy"].get<double>());
    CHECK(r["dx_norm_squared"].get<double>() <= r["bound"].get<double>() * (1 + 1e-12));
}

TEST_CASE("gradient_projection refuses bad requests with a field and a reason") {
    CHECK(project({}, {}, 1, 1e-5)["error"]["field"] == "x");
    CHECK(bnkata::compute(json{{"op", "gradient_projection"}, {"x", {1, 2}}, {"dy", {1}}})["error"]["field"] == "dy");
    CHECK(bnkata::compute(json{{"op", "gradient_projection"}, {"x", {{1, 2}, {3, 4}}}, {"dy", {{1, 2}, {3, 4}}}})["error"]["field"] == "x");
    CHECK(bnkata::compute(json{{"op", "gradient_projection"}, {"x", {1, 2}}, {"dy", {1, 2}}, {"gamma", "big"}})["error"]["field"] == "gamma");
    CHECK(bnkata::compute(json{{"op", "gradient_projection"}, {"x", {1, 2}}, {"dy", {1, 2}}, {"eps", 0}})["error"]["field"] == "eps");
    CHECK(bnkata::compute(json{{"op", "gradient_projection"}, {"x", {1e308, -1e308}}, {"dy", {1, 2}}})["error"]["field"] == "x");
}
