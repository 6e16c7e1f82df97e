// step2_scale_shift.cpp — Step 2 of the kata: the learnable scale γ and shift β.
//
//   s2-identity  γ and β that give back the original x
//   s2-sigmoid   what a sigmoid layer loses without γ and β
//   s2-bias      why a bias right before batch norm is redundant
#include <cmath>

#include "bnkata/exercises/authoring.hpp"
#include "bnkata/exercises/reference.hpp"

namespace bnkata::exercises {

namespace {

// --- s2-identity ---------------------------------------------------------------------------------------

struct IdentityDraw {
    Vec x;
    double eps = 0.1;
    NumericGrading grading;
};

IdentityDraw draw_identity(Rng& rng) {
    IdentityDraw d;
    d.x = draw_integers(rng, 5, 0, 12);
    d.eps = draw_one_of(rng, {0.1, 0.25, 0.5});
    const Statistics s = statistics(d.x);
    const double gamma = std::sqrt(s.var + d.eps);
    d.grading.tolerance = hand_tolerance();
    d.grading.fields = {{"gamma", "γ", {gamma}, false}, {"beta", "β", {s.mean}, false}};
    d.grading.variants = {
        {"eps_omitted", {{std::sqrt(s.var)}, {s.mean}}},
        {"var_instead_of_std", {{s.var + d.eps}, {s.mean}}},
        {"unbiased_variance", {{std::sqrt(s.var_unbiased + d.eps)}, {s.mean}}},
        {"swapped_gamma_beta", {{s.mean}, {gamma}}},
    };
    return d;
}

Generated identity(std::uint64_t seed) {
    Rng rng("s2-identity", seed);
    const IdentityDraw d = draw_until_distinguishable(rng, draw_identity);
    const Statistics s = statistics(d.x);
    // Check the claim with the core itself: this γ, β really gives x back.
    const Vec y = forward(d.x, d.grading.fields[0].expected[0], d.grading.fields[1].expected[0], d.eps).y;
    return numeric_exercise(
        "Batch norm normalises x = " + show(d.x) + " with ε = " + show(d.eps) +
            ". Which γ and β make y = γ·x̂ + β equal to the original x, i.e. undo the normalisation?",
        {{"x", d.x}, {"eps", d.eps}}, d.grading,
        {"x̂ = (x − μ_B)/√(σ²_B + ε). Solve for x.", "x = √(σ²_B + ε)·x̂ + μ_B: compare with γ·x̂ + β.",
         "γ = √(σ²_B + ε) (ε included), β = μ_B; σ²_B is the biased variance."},
        "μ_B = " + show(s.mean) + ", σ²_B = " + show(s.var) + ". Since x = √(σ²_B + ε)·x̂ + μ_B, γ = √(" + show(s.var) +
            " + " + show(d.eps) + ") = " + show(d.grading.fields[0].expected[0], 5) + " and β = " + show(s.mean) +
            ". (With these, the core's forward pass returns " + show(y, 5) +
            ".) So BN can represent the identity: exactly at inference, where the statistics are fixed, and in "
            "training only approximately, since μ_B and σ²_B change from batch to batch.");
}

// --- s2-sigmoid ----------------------------------------------------------------------------------------

Generated sigmoid(std::uint64_t) {
    const std::vector<Option> options = {
        {"a",
         "Most of its nonlinearity: most inputs fall where the sigmoid is nearly a straight line, so the layer "
         "acts almost like a linear map.",
         true,
         "About 68 % of N(0, 1) inputs lie in |z| < 1, where σ(z) ≈ 1/2 + z/4 is within 0.02 of the straight "
         "line. γ and β let the network move and stretch its inputs into the curved parts when that helps "
         "(and recover the identity if that is best). The demo shows the share inside the near-linear range."},
        {"b", "Nothing: inputs with mean 0 and variance 1 keep the sigmoid out of saturation, which is where it "
              "learns best.", false,
         "Normalised inputs do keep the sigmoid out of saturation, but without γ and β they are also pinned to "
         "its nearly linear middle, so the layer cannot choose how nonlinear to be."},
        {"c", "Its gradient: inputs near z = 0 sit where the sigmoid's derivative is smallest, so the layer "
              "learns slowly.", false,
         "The derivative σ(z)(1 − σ(z)) is largest at z = 0 (it is 1/4 there); it vanishes far from 0."},
        {"d", "Its range of outputs: with inputs pinned near 0, its outputs stay close to 0.5 and cannot reach "
              "0 or 1 at all.", false,
         "The outputs do crowd around 0.5, but inputs beyond ±2 still occur (about 5 %), so the full range is "
         "reachable; what is lost is the curvature in between."},
    };
    return choice_exercise(
        "Suppose batch norm had no γ and β, so every input of the following sigmoid layer had mean 0 and "
        "variance 1 over the batch. What would the sigmoid layer lose?",
        {{"near_linear_range", {-1, 1}}}, options, false,
        {"Sketch σ(z) = 1/(1 + e^(−z)) for z between −1 and 1: how curved is it there?",
         "What share of a standard normal falls in [−1, 1]? (About two thirds.)"},
        "Without γ and β the sigmoid sees mostly inputs in its near-linear middle, so it represents almost a "
        "linear function; γ and β restore the layer's freedom to be as nonlinear as it needs.");
}

// --- s2-bias -------------------------------------------------------------------------------------------

Generated bias(std::uint64_t seed) {
    // Statements drawn from two pools, so the number of true ones differs from seed to seed (2 to 4 of 5).
    const std::vector<Option> truths = {
        {"t1", "Adding b shifts every example's z = Wu + b by the same amount, so μ_B shifts by b too and z − μ_B "
               "does not change.",
         true, "μ_B(Wu + b) = μ_B(Wu) + b, so the b cancels in z − μ_B; σ²_B does not change either."},
        {"t2", "The loss does not depend on b, so its gradient is zero and gradient steps never move b (weight "
               "decay would only shrink it).", true,
         "BN's output is the same for every b, so ∂loss/∂b = 0 (when the gradient flows through μ_B — "
         "Ioffe & Szegedy §2 show what happens when it does not; in floating point it is ~1e-17, not exactly 0)."},
        {"t3", "β takes over the bias's role, as a learnable offset applied after the normalisation.", true,
         "y = γ·x̂ + β: β is the learnable offset, so the layer's bias is dropped (bias=False in PyTorch)."},
        {"t4", "Removing b leaves the layer's training-mode outputs exactly as they were, for every batch.", true,
         "The output is identical for every b, including b = 0, whatever the batch."},
    };
    const std::vector<Option> falsehoods = {
        {"f1", "Removing b changes the network's outputs in training mode, though not at inference.", false,
         "It changes nothing in training mode: the batch mean absorbs b for every batch."},
        {"f2", "The bias is needed to keep σ²_B from collapsing to zero when the weights are small.", false,
         "Adding a constant never changes a variance: σ²_B(Wu + b) = σ²_B(Wu)."},
        {"f3", "b still matters at inference, where the running mean is fixed and no longer cancels it.", false,
         "The running mean is an average of batch means that all contained b, so at inference b cancels too."},
        {"f4", "b's gradient is zero only when γ = 1 and β = 0, that is, at the start of training.", false,
         "The cancellation happens in z − μ_B, before γ and β act; it holds for every γ and β."},
    };
    Rng rng("s2-bias", seed);
    const std::vector<Option> options = draw_statements(rng, truths, falsehoods, 5, 1);
    return choice_exercise(
        "A dense layer z = Wu + b feeds straight into batch norm. Which of these statements are true? "
        "(Select all that apply.)",
        json::object(), options, true,
        {"What happens to μ_B when every z in the batch grows by the same b?",
         "Does batch norm's output change at all when b changes?"},
        "A bias right before BN is redundant: the batch mean absorbs it, the output ignores it, its gradient "
        "is zero, and β provides the offset instead.");
}

}  // namespace

std::vector<ExerciseDefinition> step2_exercises() {
    return {
        {"s2-identity", 2, "γ and β that give back x", "numeric", identity, true},
        {"s2-sigmoid", 2, "What a sigmoid loses without γ and β", "choice", sigmoid, true},
        {"s2-bias", 2, "Why a bias before batch norm is redundant", "multi", bias},
    };
}

}  // namespace bnkata::exercises
