// step3_backward.cpp — Step 3 worked out: the backward pass derived by the learner, stage by stage, and
// the quick checks that follow from it.
//
//   s3-backward-staged  cs231n's staged graph on a small batch with a given upstream gradient δ = ∂ℓ/∂y:
//                       ∂ℓ/∂x̂, then ∂ℓ/∂σ², then ∂ℓ/∂μ, then ∂ℓ/∂x (and ∂ℓ/∂γ)
//   s3-backward-checks  on the same batch: Σ ∂ℓ/∂xᵢ = 0 (a bias before BN gets no gradient, Ioffe §2),
//                       Σ x̂ᵢ ∂ℓ/∂xᵢ ≈ 0, and scaling W by a divides ∂ℓ/∂W by a (Ioffe §3.3)
//
// The staged graph, for one feature with m values (s = √(σ² + ε)):
//   μ = Σ xᵢ/m,  σ² = Σ (xᵢ − μ)²/m,  x̂ᵢ = (xᵢ − μ)/s,  yᵢ = γ x̂ᵢ + β
// and backwards, each stage's gradient from the one after it:
//   ∂ℓ/∂x̂ᵢ = γ δᵢ
//   ∂ℓ/∂σ² = Σᵢ ∂ℓ/∂x̂ᵢ · (xᵢ − μ) · (−½) s⁻³
//   ∂ℓ/∂μ  = Σᵢ ∂ℓ/∂x̂ᵢ · (−1/s) + ∂ℓ/∂σ² · Σᵢ −2(xᵢ − μ)/m      (the second sum is 0)
//   ∂ℓ/∂xᵢ = ∂ℓ/∂x̂ᵢ/s + ∂ℓ/∂σ² · 2(xᵢ − μ)/m + ∂ℓ/∂μ/m
// which collapses to the core's closed form γ/s·(δᵢ − mean(δ) − x̂ᵢ·mean(δx̂)) (reference.hpp's backward,
// which computes the right ∂ℓ/∂x here, so that the lesson grades against the kernel it teaches).
#include <cmath>

#include "bnkata/exercises/authoring.hpp"
#include "bnkata/exercises/reference.hpp"

namespace bnkata::exercises {

namespace {

constexpr std::size_t kBatch = 4;
constexpr double kEps = 1e-5;

// The learner's batch: x, the upstream gradient δ and γ, with every stage of the staged graph.
struct Staged {
    Vec x, delta, xhat, dxhat, dx;
    double gamma = 1, mean = 0, var = 0, s = 1;
    double dvar = 0, dmu = 0, dgamma = 0;
};

Staged stages_of(const Vec& x, const Vec& delta, double gamma) {
    Staged g;
    g.x = x;
    g.delta = delta;
    g.gamma = gamma;
    const Statistics st = statistics(x);
    g.mean = st.mean;
    g.var = st.var;
    g.s = std::sqrt(st.var + kEps);
    for (std::size_t i = 0; i < x.size(); ++i) {
        g.xhat.push_back((x[i] - g.mean) / g.s);
        g.dxhat.push_back(gamma * delta[i]);
        g.dvar += g.dxhat[i] * (x[i] - g.mean) * -0.5 / (g.s * g.s * g.s);
        g.dmu += -g.dxhat[i] / g.s;  // + ∂ℓ/∂σ²·Σ −2(xᵢ − μ)/m, which is 0
        g.dgamma += delta[i] * g.xhat[i];
    }
    g.dx = backward(delta, x, gamma, kEps).dx;
    return g;
}

// ∂ℓ/∂x with one of the three paths, or the 1/m, left out: what the named mistakes produce.
Vec dx_without(const Staged& g, bool through_mu, bool through_var, double one_over_m) {
    Vec dx;
    for (std::size_t i = 0; i < g.x.size(); ++i)
        dx.push_back(g.dxhat[i] / g.s + (through_var ? g.dvar * 2 * (g.x[i] - g.mean) * one_over_m : 0) +
                     (through_mu ? g.dmu * one_over_m : 0));
    return dx;
}

// Small integers for x (not all equal), one-decimal δ and γ: a calculator job, not a computer's.
Staged draw_batch(Rng& rng) {
    Vec x = draw_integers(rng, kBatch, 0, 9);
    while (statistics(x).var < 0.5) x = draw_integers(rng, kBatch, 0, 9);
    const Vec delta = draw_tenths(rng, kBatch, -10, 10);
    const double gamma = draw_tenths(rng, 1, 5, 20)[0];
    return stages_of(x, delta, gamma);
}

NumericGrading staged_grading(const Staged& g) {
    NumericGrading grading;
    const double inv_m = 1.0 / static_cast<double>(g.x.size());
    grading.tolerance = hand_tolerance();
    grading.fields = {{"dxhat", "∂ℓ/∂x̂", g.dxhat, true},
                      {"dvar", "∂ℓ/∂σ²", {g.dvar}, false},
                      {"dmu", "∂ℓ/∂μ", {g.dmu}, false},
                      {"dx", "∂ℓ/∂x", g.dx, true},
                      {"dgamma", "∂ℓ/∂γ", {g.dgamma}, false}};
    double dgamma_with_x = 0;
    for (std::size_t i = 0; i < g.x.size(); ++i) dgamma_with_x += g.delta[i] * g.x[i];
    auto with_dx = [&](const Vec& dx) { return std::vector<Vec>{g.dxhat, {g.dvar}, {g.dmu}, dx, {g.dgamma}}; };
    grading.variants = {
        {"no_grad_through_mean", with_dx(dx_without(g, false, true, inv_m))},
        {"no_grad_through_var", with_dx(dx_without(g, true, false, inv_m))},
        {"forgot_one_over_m", with_dx(dx_without(g, true, true, 1.0))},
        {"dgamma_with_x", {g.dxhat, {g.dvar}, {g.dmu}, g.dx, {dgamma_with_x}}},
    };
    return grading;
}

constexpr double kScale = 3;  // s3-backward-checks scales W by a = 3

NumericGrading checks_grading(const Staged& g) {
    double sum_dx = 0, sum_xhat_dx = 0, sum_delta = 0, sum_xhat_delta = 0;
    for (std::size_t i = 0; i < g.x.size(); ++i) {
        sum_dx += g.dx[i];
        sum_xhat_dx += g.xhat[i] * g.dx[i];
        sum_delta += g.delta[i];
        sum_xhat_delta += g.xhat[i] * g.delta[i];
    }
    NumericGrading grading;
    grading.tolerance = hand_tolerance();
    grading.fields = {{"sum_dx", "Σᵢ ∂ℓ/∂xᵢ", {sum_dx}, false},
                      {"sum_xhat_dx", "Σᵢ x̂ᵢ·∂ℓ/∂xᵢ", {sum_xhat_dx}, false},
                      {"ratio", "∂ℓ/∂W is multiplied by", {1 / kScale}, false}};
    // With μ_B and σ²_B held constant, ∂ℓ/∂xᵢ = γδᵢ/s: its sums are γΣδ/s and γΣx̂δ/s. Keeping only the
    // path through μ_B zeroes the first sum but not the second.
    grading.variants = {
        {"no_grad_through_stats", {{g.gamma * sum_delta / g.s}, {sum_xhat_dx}, {1 / kScale}}},
        {"no_grad_through_var", {{sum_dx}, {g.gamma * sum_xhat_delta / g.s}, {1 / kScale}}},
        {"gradient_scales_with_weights", {{sum_dx}, {sum_xhat_dx}, {kScale}}},
        {"gradient_unchanged_by_scale", {{sum_dx}, {sum_xhat_dx}, {1}}},
    };
    return grading;
}

// The learner's batch for both exercises: drawn until every mistake of both can be named (at most 200
// draws, as draw_until_distinguishable).
Staged learners_batch(std::uint64_t seed) {
    Rng rng("s3-backward-staged", seed);
    Staged g = draw_batch(rng);
    for (int tries = 1; tries < 200 && !(all_variants_distinguishable(staged_grading(g)) &&
                                         all_variants_distinguishable(checks_grading(g)));
         ++tries)
        g = draw_batch(rng);
    return g;
}

json batch_data(const Staged& g) {
    return {{"x", g.x}, {"delta", g.delta}, {"gamma", g.gamma}, {"eps", kEps}, {"mean", g.mean}, {"var", g.var}};
}

std::string batch_text(const Staged& g) {
    return "x = " + show(g.x) + " (μ_B = " + show(g.mean) + ", σ²_B = " + show(g.var) + "), γ = " + show(g.gamma) +
           ", ε = 1e-5, and the gradient arriving from above δ = ∂ℓ/∂y = " + show(g.delta);
}

Generated backward_staged(std::uint64_t seed) {
    const Staged g = learners_batch(seed);
    return numeric_exercise(
        "Derive the backward pass yourself, stage by stage, on your batch: " + batch_text(g) +
            ". The forward pass is μ = Σxᵢ/m, σ² = Σ(xᵢ − μ)²/m, x̂ᵢ = (xᵢ − μ)/√(σ² + ε), yᵢ = γx̂ᵢ + β. "
            "Walk it backwards: enter ∂ℓ/∂x̂ (4 numbers), then ∂ℓ/∂σ², then ∂ℓ/∂μ, then ∂ℓ/∂x (4 numbers), and ∂ℓ/∂γ. "
            "Each field is checked on its own, so you can check after every stage.",
        batch_data(g), staged_grading(g),
        {"∂ℓ/∂x̂ᵢ = γ·δᵢ. And ∂ℓ/∂γ = Σ δᵢ·x̂ᵢ (with x̂, not x).",
         "σ² reaches every x̂ᵢ through (σ² + ε)^(−1/2): ∂ℓ/∂σ² = Σ ∂ℓ/∂x̂ᵢ·(xᵢ − μ)·(−½)(σ² + ε)^(−3/2).",
         "μ reaches every x̂ᵢ directly (∂x̂ᵢ/∂μ = −1/√(σ² + ε)) and through σ², whose part Σ −2(xᵢ − μ)/m is 0.",
         "xᵢ reaches ℓ three ways: ∂ℓ/∂xᵢ = ∂ℓ/∂x̂ᵢ/√(σ² + ε) + ∂ℓ/∂σ²·2(xᵢ − μ)/m + ∂ℓ/∂μ/m."},
        "With √(σ² + ε) = " + show(g.s, 6) + ": ∂ℓ/∂x̂ = γδ = " + show(g.dxhat, 5) + "; ∂ℓ/∂σ² = Σ ∂ℓ/∂x̂ᵢ(xᵢ − μ)·(−½)(σ² + ε)^(−3/2) = " +
            show(g.dvar, 5) + "; ∂ℓ/∂μ = −Σ ∂ℓ/∂x̂ᵢ/√(σ² + ε) = " + show(g.dmu, 5) +
            "; ∂ℓ/∂xᵢ = ∂ℓ/∂x̂ᵢ/√(σ² + ε) + ∂ℓ/∂σ²·2(xᵢ − μ)/m + ∂ℓ/∂μ/m = " + show(g.dx, 5) +
            "; ∂ℓ/∂γ = Σ δᵢx̂ᵢ = " + show(g.dgamma, 5) +
            ". The three terms of ∂ℓ/∂x are the three paths from xᵢ to ℓ: through x̂ᵢ itself, through σ² and through μ.");
}

// --- s3-backward-checks --------------------------------------------------------------------------------

Generated backward_checks(std::uint64_t seed) {
    const Staged g = learners_batch(seed);  // the same batch as the derivation
    const NumericGrading grading = checks_grading(g);
    return numeric_exercise(
        "Three quick checks on your ∂ℓ/∂x from “Derive the backward pass” (" + batch_text(g) +
            "). (1) Σᵢ ∂ℓ/∂xᵢ. This is also ∂ℓ/∂b for a bias b added to x right before BN. "
            "(2) Σᵢ x̂ᵢ·∂ℓ/∂xᵢ. (3) x comes from a linear layer, x = W·u. If W is replaced by 3·W (and nothing "
            "else changes), by what factor is ∂ℓ/∂W multiplied?",
        batch_data(g), grading,
        {"Adding the same number c to every xᵢ changes neither x̂ nor y. What does that say about Σᵢ ∂ℓ/∂xᵢ?",
         "Multiplying every xᵢ − μ by the same factor changes x̂ only through ε. What does that say about Σᵢ x̂ᵢ·∂ℓ/∂xᵢ?",
         "With 3·W, x becomes 3x, y does not change, and ∂ℓ/∂x becomes ∂ℓ/∂x / 3. ∂ℓ/∂W = Σᵢ ∂ℓ/∂xᵢ · uᵢ."},
        "(1) Σᵢ ∂ℓ/∂xᵢ = " + show(grading.fields[0].expected[0], 3) +
            " (0 up to rounding): shifting the batch does not change y, so the loss has no gradient along that "
            "direction. A bias b before BN gets ∂ℓ/∂b = Σᵢ ∂ℓ/∂xᵢ = 0 — it is redundant, and an update that "
            "ignored the path through μ_B would let it grow without bound (Ioffe & Szegedy, §2). "
            "(2) Σᵢ x̂ᵢ·∂ℓ/∂xᵢ = " + show(grading.fields[1].expected[0], 3) +
            ", 0 up to ε: stretching the batch does not change y either. (3) 1/3: BN(3·W·u) = BN(W·u), so "
            "∂ℓ/∂x shrinks by 3 and so does ∂ℓ/∂W — larger weights get smaller gradients (Ioffe & Szegedy, §3.3).");
}

}  // namespace

std::vector<ExerciseDefinition> step3_backward_exercises() {
    return {
        {"s3-backward-staged", 3, "Derive the backward pass", "numeric", backward_staged},
        {"s3-backward-checks", 3, "Quick checks on the gradient", "numeric", backward_checks},
    };
}

}  // namespace bnkata::exercises
