// Steps 1, 2 and 4 (numbers, formulas, choices) and step 3 (predict, run, check): the right answer is
// accepted, each known mistake is named, garbage is refused. Expected numbers for seed 7 come from
// tests/fixtures/exercises/expected_seed7.py (NumPy; its output is expected_seed7.txt); for many other
// seeds they are recomputed here from the exercise's data with the plain formulas below — never with
// the engine's own code.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bnkata/compute.hpp"
#include "exercise_requests.hpp"
#include "fixtures.hpp"

using nlohmann::json;
using namespace exercise_requests;
using Vec = std::vector<double>;
using bnkata_test::biased_var_of;
using bnkata_test::mean_of;

namespace {

// The textbook definitions, written out independently of the engine.
double var_unbiased(const Vec& v) { return biased_var_of(v) * static_cast<double>(v.size()) / static_cast<double>(v.size() - 1); }

const std::uint64_t kSeeds = 40;  // seeds checked for "every variant is diagnosed"

// The letter under which (id, seed) shows the option whose text contains `needle` ("" if none does): the
// order of the options is drawn from the seed, so tests find an option by what it says.
std::string letter(const std::string& id, std::uint64_t seed, const std::string& needle) {
    const json e = exercise(id, seed);
    for (const json& o : e["options"])
        if (o["text"].get<std::string>().find(needle) != std::string::npos) return o["id"];
    return "";
}
// The letters of the options whose explanation in the solution starts with `verdict` ("True." / "False.").
std::vector<std::string> letters_judged(const std::string& id, std::uint64_t seed, const std::string& verdict) {
    std::vector<std::string> out;
    const json explained = exercise(id, seed)["solution"]["options"];
    for (auto it = explained.begin(); it != explained.end(); ++it)
        if (it.value().get<std::string>().rfind(verdict, 0) == 0) out.push_back(it.key());
    return out;
}
}  // namespace

// --- Step 1 -------------------------------------------------------------------------------------------------

TEST_CASE("s1-mean-var: μ_B and σ²_B of seed 7's batch [1, 2, 0, 0, 6]") {
    // By hand: μ = 9/5 = 1.8; squared deviations 0.64 + 0.04 + 3.24 + 3.24 + 17.64 = 24.8; σ² = 24.8/5 = 4.96.
    CHECK(grade("s1-mean-var", 7, {{"mean", 1.8}, {"var", 4.96}})["verdict"] == "correct");
    CHECK(grade("s1-mean-var", 7, {{"mean", "1.8"}, {"var", "124/25"}})["verdict"] == "correct");
    CHECK(grade("s1-mean-var", 7, {{"mean", "1.8"}, {"var", "4.961"}})["verdict"] == "correct");  // within 0.1 %
    SUBCASE("÷ (m − 1) is the unbiased variance: 24.8/4 = 6.2") {
        const json g = grade("s1-mean-var", 7, {{"mean", 1.8}, {"var", 6.2}});
        CHECK(g["verdict"] == "incorrect");
        CHECK(mistake_of(g) == "unbiased_variance");
        CHECK(g["fields"]["mean"]["verdict"] == "correct");
        CHECK(g["fields"]["var"]["verdict"] == "incorrect");
        CHECK(g["tolerance"] == "accepted if it differs from the right value by at most 0.001 + 0.1 % of the right value");
    }
    SUBCASE("σ instead of σ²: √4.96 = 2.2271") {
        CHECK(mistake_of(grade("s1-mean-var", 7, {{"mean", 1.8}, {"var", 2.2271}})) == "std_instead_of_var");
    }
    SUBCASE("an unrelated wrong value is incorrect without a named mistake") {
        const json g = grade("s1-mean-var", 7, {{"mean", 1.8}, {"var", 5}});
        CHECK(g["verdict"] == "incorrect");
        CHECK(g["mistake"].is_null());
    }
    SUBCASE("half an answer is incorrect, and says what is missing") {
        const json g = grade("s1-mean-var", 7, {{"mean", 1.8}});
        CHECK(g["verdict"] == "incorrect");
        CHECK(g["fields"]["var"]["verdict"] == "not_attempted");
        CHECK(g["message"].get<std::string>().find("σ²_B") != std::string::npos);
    }
    SUBCASE("garbage names the field and the position") {
        const json g = grade("s1-mean-var", 7, {{"mean", "1.8"}, {"var", "4.96)"}});
        CHECK(g["verdict"] == "invalid");
        CHECK(g["message"].get<std::string>().find("σ²_B") != std::string::npos);
        CHECK(g["message"].get<std::string>().find("position 5") != std::string::npos);
    }
}

TEST_CASE("s1-mean-var: for many seeds, the right answer passes and each mistake is named") {
    for (std::uint64_t seed = 0; seed < kSeeds; ++seed) {
        const Vec x = exercise("s1-mean-var", seed)["data"]["x"];
        CAPTURE(seed);
        CHECK(grade("s1-mean-var", seed, {{"mean", mean_of(x)}, {"var", biased_var_of(x)}})["verdict"] == "correct");
        CHECK(mistake_of(grade("s1-mean-var", seed, {{"mean", mean_of(x)}, {"var", var_unbiased(x)}})) == "unbiased_variance");
        CHECK(mistake_of(grade("s1-mean-var", seed, {{"mean", mean_of(x)}, {"var", std::sqrt(biased_var_of(x))}})) == "std_instead_of_var");
    }
}

namespace {
// x̂ for s1-xhat's data, and what each mistake gives instead.
struct XhatAnswers { double right, unbiased, eps_outside, eps_omitted, layernorm, no_sqrt; };
XhatAnswers xhat_answers(const json& data) {
    const std::size_t n = data["example"].get<std::size_t>() - 1, c = data["feature"].get<std::size_t>() - 1;
    const double eps = data["eps"];
    Vec column;
    for (const json& row : data["x"]) column.push_back(row[c]);
    const Vec row = data["x"][n];
    const double x = row[c], m = mean_of(column), v = biased_var_of(column);
    return {(x - m) / std::sqrt(v + eps),          (x - m) / std::sqrt(var_unbiased(column) + eps),
            (x - m) / (std::sqrt(v) + eps),        (x - m) / std::sqrt(v),
            (x - mean_of(row)) / std::sqrt(biased_var_of(row) + eps), (x - m) / (v + eps)};
}
}  // namespace

TEST_CASE("s1-xhat: x̂ of one element of seed 7's table, and every mistake named") {
    // expected_seed7.txt: right 0.884651736929; unbiased 0.77032888652; ε outside 0.786034825215;
    // ε omitted 0.904534033733; LayerNorm 1.319824035192; no square root 0.260869565217.
    CHECK(grade("s1-xhat", 7, {{"xhat", 0.8847}})["verdict"] == "correct");
    CHECK(grade("s1-xhat", 7, {{"xhat", "3/sqrt(11.5)"}})["verdict"] == "correct");
    CHECK(mistake_of(grade("s1-xhat", 7, {{"xhat", 0.7703}})) == "unbiased_variance");
    CHECK(mistake_of(grade("s1-xhat", 7, {{"xhat", 0.7860}})) == "eps_outside_sqrt");
    CHECK(mistake_of(grade("s1-xhat", 7, {{"xhat", 0.9045}})) == "eps_omitted");
    CHECK(mistake_of(grade("s1-xhat", 7, {{"xhat", 1.3198}})) == "wrong_axis_layernorm");
    CHECK(mistake_of(grade("s1-xhat", 7, {{"xhat", 0.26087}})) == "var_instead_of_std");
    CHECK(grade("s1-xhat", 7, {{"xhat", "about 0.88"}})["verdict"] == "invalid");
    for (std::uint64_t seed = 0; seed < kSeeds; ++seed) {
        const XhatAnswers a = xhat_answers(exercise("s1-xhat", seed)["data"]);
        CAPTURE(seed);
        CHECK(grade("s1-xhat", seed, {{"xhat", a.right}})["verdict"] == "correct");
        CHECK(mistake_of(grade("s1-xhat", seed, {{"xhat", a.unbiased}})) == "unbiased_variance");
        CHECK(mistake_of(grade("s1-xhat", seed, {{"xhat", a.eps_outside}})) == "eps_outside_sqrt");
        CHECK(mistake_of(grade("s1-xhat", seed, {{"xhat", a.eps_omitted}})) == "eps_omitted");
        CHECK(mistake_of(grade("s1-xhat", seed, {{"xhat", a.layernorm}})) == "wrong_axis_layernorm");
        CHECK(mistake_of(grade("s1-xhat", seed, {{"xhat", a.no_sqrt}})) == "var_instead_of_std");
    }
}

TEST_CASE("s1-formula: equivalent forms of x̂ pass, others are rejected, mistakes are named") {
    for (const char* right : {"(x - mu) / sqrt(var + eps)", "(x - mu)*(var + eps)^(-1/2)", "(x − μ)/√(σ² + ε)",
                              "(x_i − μ_B)/√(σ_B² + ε)", "x/sqrt(var+eps) - mu/sqrt(eps+var)",
                              "(x - mu) * (1 / sqrt(var + eps))", "-(mu - x)/(var + eps)^0.5",
                              "((x-mu)^2/(var+eps))^(1/2) * (x-mu)/sqrt((x-mu)^2)"}) {
        CAPTURE(right);
        CHECK(grade("s1-formula", 1, {{"xhat", right}})["verdict"] == "correct");
    }
    CHECK(mistake_of(grade("s1-formula", 1, {{"xhat", "(x - mu)/(sqrt(var) + eps)"}})) == "eps_outside_sqrt");
    CHECK(mistake_of(grade("s1-formula", 1, {{"xhat", "(x - mu)/√σ² + ε"}})) == "eps_outside_sqrt");
    CHECK(mistake_of(grade("s1-formula", 1, {{"xhat", "(x - mu)/sqrt(var)"}})) == "eps_omitted");
    CHECK(mistake_of(grade("s1-formula", 1, {{"xhat", "(x - mu)/σ"}})) == "eps_omitted");
    CHECK(mistake_of(grade("s1-formula", 1, {{"xhat", "(x - mu)/(var + eps)"}})) == "var_instead_of_std");
    CHECK(mistake_of(grade("s1-formula", 1, {{"xhat", "(x - mu)/sqrt(var*m/(m-1) + eps)"}})) == "unbiased_variance");
    CHECK(mistake_of(grade("s1-formula", 1, {{"xhat", "γ(x − μ)/√(σ² + ε) + β"}})) == "y_instead_of_xhat");
    for (const char* wrong : {"(x + mu) / sqrt(var + eps)", "(x - mu) / sqrt(var + 2*eps)", "x - mu", "0",
                              "(x - mu) / sqrt(abs)"}) {
        CAPTURE(wrong);
        CHECK(grade("s1-formula", 1, {{"xhat", wrong}})["verdict"] != "correct");
    }
    const json g = grade("s1-formula", 1, {{"xhat", "(x + mu) / sqrt(var + eps)"}});
    CHECK(g["verdict"] == "incorrect");
    CHECK(g["message"].get<std::string>().find("Not equivalent") != std::string::npos);
    SUBCASE("the whole equation, x̂ = …, is read as its right-hand side") {
        for (const char* right : {"x̂ = (x - mu) / sqrt(var + eps)", "xhat=(x - mu)/sqrt(var + eps)",
                                  "x̂ᵢ = (x_i − μ_B)/√(σ_B² + ε)"}) {
            CAPTURE(right);
            CHECK(grade("s1-formula", 1, {{"xhat", right}})["verdict"] == "correct");
        }
        CHECK(mistake_of(grade("s1-formula", 1, {{"xhat", "x̂ = (x - mu)/sqrt(var)"}})) == "eps_omitted");
        // Any other left-hand side is not the asked quantity: still an error, at the '=' as typed.
        const json e = grade("s1-formula", 1, {{"xhat", "y = (x - mu)/sqrt(var + eps)"}});
        CHECK(e["verdict"] == "invalid");
        const json p = grade("s1-formula", 1, {{"xhat", "x̂ = (x - mu / sqrt(var + eps)"}});
        CHECK(p["verdict"] == "invalid");
        CHECK(p["position"] == 26 + 6);  // "x̂ = " is 6 bytes: the position still counts from what was typed
    }
    SUBCASE("a parse error carries its position") {
        const json e = grade("s1-formula", 1, {{"xhat", "(x - mu / sqrt(var + eps)"}});
        CHECK(e["verdict"] == "invalid");
        CHECK(e["position"] == 26);
        CHECK(e["fields"]["xhat"]["position"] == 26);
    }
    SUBCASE("10,000 nested parentheses are a clean invalid verdict") {
        const json e = grade("s1-formula", 1, {{"xhat", std::string(10000, '(') + "x" + std::string(10000, ')')}});
        CHECK(e["verdict"] == "invalid");
        const json n = grade("s1-formula", 1, {{"xhat", std::string(600, '(') + "x" + std::string(600, ')')}});
        CHECK(n["verdict"] == "invalid");
        CHECK(n["message"].get<std::string>().find("nested too deeply") != std::string::npos);
    }
}

TEST_CASE("s1-constant-batch: x̂ = 0, and ε is why") {
    const json e = exercise("s1-constant-batch", 7);
    const Vec x = e["data"]["x"];
    CHECK(x[0] == x[1]);
    CHECK(x[0] == x[3]);
    const std::string right = letter("s1-constant-batch", 7, "x̂ = 0 for every element");
    const std::string nan = letter("s1-constant-batch", 7, "NaN");
    REQUIRE(!right.empty());
    REQUIRE(!nan.empty());
    const json correct = grade("s1-constant-batch", 7, {{"choice", right}});
    CHECK(correct["verdict"] == "correct");
    CHECK(correct["options"].size() == 4);  // once right, every option is explained
    const json wrong = grade("s1-constant-batch", 7, {{"choice", nan}});
    CHECK(wrong["verdict"] == "incorrect");
    CHECK(wrong["message"].get<std::string>().find("√ε") != std::string::npos);
    // A wrong answer does not give the right one away: only the picked option is explained.
    CHECK(wrong["options"].size() == 1);
    CHECK(wrong["options"].contains(nan));
    CHECK(exercise("s1-constant-batch", 7)["solution"]["options"].size() == 4);  // "Reveal the solution" explains all
    CHECK(grade("s1-constant-batch", 7, {{"choice", "z"}})["verdict"] == "invalid");
    CHECK(grade("s1-constant-batch", 7, {{"choice", ""}})["verdict"] == "not_attempted");
}

// --- Step 2 -------------------------------------------------------------------------------------------------

TEST_CASE("s2-identity: γ = √(σ² + ε), β = μ give x back; each mistake named") {
    // Seed 7: x = [3, 2, 12, 5, 7], ε = 0.1 → γ = 3.558089374931, β = 5.8 (expected_seed7.txt).
    CHECK(exercise("s2-identity", 7)["data"]["x"] == json({3, 2, 12, 5, 7}));
    CHECK(grade("s2-identity", 7, {{"gamma", 3.5581}, {"beta", 5.8}})["verdict"] == "correct");
    CHECK(grade("s2-identity", 7, {{"gamma", "sqrt(12.56 + 0.1)"}, {"beta", "29/5"}})["verdict"] == "correct");
    CHECK(mistake_of(grade("s2-identity", 7, {{"gamma", 3.5440}, {"beta", 5.8}})) == "eps_omitted");
    CHECK(mistake_of(grade("s2-identity", 7, {{"gamma", 12.66}, {"beta", 5.8}})) == "var_instead_of_std");
    CHECK(mistake_of(grade("s2-identity", 7, {{"gamma", 3.9749}, {"beta", 5.8}})) == "unbiased_variance");
    CHECK(mistake_of(grade("s2-identity", 7, {{"gamma", 5.8}, {"beta", 3.5581}})) == "swapped_gamma_beta");
    for (std::uint64_t seed = 0; seed < kSeeds; ++seed) {
        const json d = exercise("s2-identity", seed)["data"];
        const Vec x = d["x"];
        const double eps = d["eps"];
        CAPTURE(seed);
        CHECK(grade("s2-identity", seed, {{"gamma", std::sqrt(biased_var_of(x) + eps)}, {"beta", mean_of(x)}})["verdict"] == "correct");
        CHECK(mistake_of(grade("s2-identity", seed, {{"gamma", std::sqrt(biased_var_of(x))}, {"beta", mean_of(x)}})) == "eps_omitted");
        CHECK(mistake_of(grade("s2-identity", seed, {{"gamma", biased_var_of(x) + eps}, {"beta", mean_of(x)}})) == "var_instead_of_std");
        CHECK(mistake_of(grade("s2-identity", seed, {{"gamma", std::sqrt(var_unbiased(x) + eps)}, {"beta", mean_of(x)}})) == "unbiased_variance");
        CHECK(mistake_of(grade("s2-identity", seed, {{"gamma", mean_of(x)}, {"beta", std::sqrt(biased_var_of(x) + eps)}})) == "swapped_gamma_beta");
    }
}

TEST_CASE("s2-sigmoid and s2-bias: the right choices pass; a wrong answer explains only what was picked") {
    const std::string right = letter("s2-sigmoid", 1, "Most of its nonlinearity");
    CHECK(grade("s2-sigmoid", 1, {{"choice", right}})["verdict"] == "correct");
    for (const std::string wrong : {"a", "b", "c", "d"})
        if (wrong != right) CHECK(grade("s2-sigmoid", 1, {{"choice", wrong}})["verdict"] == "incorrect");
    for (std::uint64_t seed = 0; seed < kSeeds; ++seed) {
        CAPTURE(seed);
        const std::vector<std::string> truths = letters_judged("s2-bias", seed, "True.");
        const std::vector<std::string> falsehoods = letters_judged("s2-bias", seed, "False.");
        REQUIRE(truths.size() + falsehoods.size() == 5);
        REQUIRE(!truths.empty());
        json reversed = json::array();  // order does not matter
        for (auto it = truths.rbegin(); it != truths.rend(); ++it) reversed.push_back(*it);
        const json ok = grade("s2-bias", seed, {{"choices", reversed}});
        CHECK(ok["verdict"] == "correct");
        CHECK(ok["options"].size() == 5);
        if (!falsehoods.empty()) {
            json too_many = truths;
            too_many.push_back(falsehoods[0]);
            const json g = grade("s2-bias", seed, {{"choices", too_many}});
            CHECK(g["verdict"] == "incorrect");
            CHECK(g["message"].get<std::string>().find("1 statement") != std::string::npos);
            CHECK(g["options"].size() == too_many.size());  // the unpicked ones wait for the solution
        }
    }
    CHECK(grade("s2-bias", 1, {{"choices", json::array()}})["verdict"] == "not_attempted");
    CHECK(grade("s2-bias", 1, {{"choices", "a"}})["verdict"] == "invalid");
    CHECK(grade("s2-bias", 1, {{"choices", {"a", 3}}})["verdict"] == "invalid");
}

// --- Step 3 -------------------------------------------------------------------------------------------------

namespace {
json fig1_run(double acc_with, double acc_without, double drift_with, double drift_without) {
    return {{"experiment", "fig1"},
            {"with_bn", {{"final_accuracy", acc_with}, {"final_loss", 0.3}, {"diverged", false}, {"span_drift", drift_with}}},
            {"without_bn", {{"final_accuracy", acc_without}, {"final_loss", 0.6}, {"diverged", false}, {"span_drift", drift_without}}}};
}
// The letter of the option the paper supports, and of the others, for a predict exercise at seed 1.
std::string paper(const std::string& id) { return exercise(id, 1)["solution"]["paper"]["prediction"]; }
}  // namespace

TEST_CASE("step 3: a prediction is graded against what the learner's own run showed") {
    SUBCASE("no run yet: not attempted, and told to run it") {
        const json g = grade("s3-fig1-accuracy", 1, {{"prediction", paper("s3-fig1-accuracy")}});
        CHECK(g["verdict"] == "not_attempted");
        CHECK(g["message"].get<std::string>().find("Run the experiment first") != std::string::npos);
    }
    SUBCASE("fig1 accuracy: BN ahead by more than a point") {
        const json run = fig1_run(0.93, 0.81, 0.05, 0.9);
        CHECK(grade("s3-fig1-accuracy", 1, {{"prediction", paper("s3-fig1-accuracy")}, {"run", run}})["verdict"] == "correct");
        const json wrong = grade("s3-fig1-accuracy", 1, {{"prediction", letter("s3-fig1-accuracy", 1, "without batch norm")}, {"run", run}});
        CHECK(wrong["verdict"] == "incorrect");
        CHECK(wrong["message"].get<std::string>().find("93 %") != std::string::npos);
        CHECK(grade("s3-fig1-accuracy", 1, {{"prediction", letter("s3-fig1-accuracy", 1, "About the same")}, {"run", fig1_run(0.905, 0.9, 0, 0)}})["verdict"] == "correct");
        CHECK(grade("s3-fig1-accuracy", 1, {{"prediction", letter("s3-fig1-accuracy", 1, "without batch norm")}, {"run", fig1_run(0.5, 0.9, 0, 0)}})["verdict"] == "correct");
    }
    SUBCASE("fig1 drift") {
        CHECK(grade("s3-fig1-drift", 1, {{"prediction", paper("s3-fig1-drift")}, {"run", fig1_run(0.9, 0.8, 0.05, 0.9)}})["verdict"] == "correct");
        CHECK(grade("s3-fig1-drift", 1, {{"prediction", letter("s3-fig1-drift", 1, "About the same")}, {"run", fig1_run(0.9, 0.8, 0.30, 0.31)}})["verdict"] == "correct");
        CHECK(grade("s3-fig1-drift", 1, {{"prediction", letter("s3-fig1-drift", 1, "With batch norm")}, {"run", fig1_run(0.9, 0.8, 0.9, 0.05)}})["verdict"] == "correct");
    }
    SUBCASE("learning-rate sweep") {
        const json run = {{"experiment", "lr-sweep"}, {"max_stable_lr", {{"with_bn", 3.0}, {"without_bn", 0.3}}}};
        CHECK(grade("s3-lr-sweep", 1, {{"prediction", paper("s3-lr-sweep")}, {"run", run}})["verdict"] == "correct");
        CHECK(grade("s3-lr-sweep", 1, {{"prediction", letter("s3-lr-sweep", 1, "Both up to")}, {"run", run}})["verdict"] == "incorrect");
    }
    SUBCASE("bias blow-up") {
        const json run = {{"experiment", "bias-blowup"},
                          {"bias_blowup", {{"bias_norm_start", 0.1}, {"bias_norm_end", 25.0}, {"loss_start", 0.40}, {"loss_end", 0.41}}}};
        CHECK(grade("s3-bias-blowup", 1, {{"prediction", paper("s3-bias-blowup")}, {"run", run}})["verdict"] == "correct");
        CHECK(grade("s3-bias-blowup", 1, {{"prediction", letter("s3-bias-blowup", 1, "loss changes along")}, {"run", run}})["verdict"] == "incorrect");
    }
    SUBCASE("a choice first made after the run is recorded as such and never counts") {
        const json run = fig1_run(0.93, 0.81, 0.9, 2.1);
        const json g = grade("s3-fig1-accuracy", 1, {{"prediction", paper("s3-fig1-accuracy")}, {"run", run}, {"made_after_run", true}});
        CHECK(g["verdict"] == "incorrect");
        CHECK(g["made_after_run"] == true);
        CHECK(g["message"].get<std::string>().find("after the run") != std::string::npos);
    }
    SUBCASE("a wrong prediction explains only the option picked") {
        const json run = fig1_run(0.93, 0.81, 0.9, 2.1);
        const std::string picked = letter("s3-fig1-accuracy", 1, "without batch norm");
        const json g = grade("s3-fig1-accuracy", 1, {{"prediction", picked}, {"run", run}});
        CHECK(g["options"].size() == 1);
        CHECK(g["options"].contains(picked));
        CHECK(g["observed"] == paper("s3-fig1-accuracy"));
    }
    SUBCASE("a run from another experiment, or with a broken field, is invalid and says which") {
        const json other = grade("s3-fig1-accuracy", 1, {{"prediction", paper("s3-fig1-accuracy")}, {"run", {{"experiment", "lr-sweep"}}}});
        CHECK(other["verdict"] == "invalid");
        CHECK(other["message"].get<std::string>().find("fig1") != std::string::npos);
        json broken = fig1_run(0.9, 0.8, 0, 0);
        broken["with_bn"]["final_accuracy"] = 1.7;
        const json g = grade("s3-fig1-accuracy", 1, {{"prediction", paper("s3-fig1-accuracy")}, {"run", broken}});
        CHECK(g["verdict"] == "invalid");
        CHECK(g["message"].get<std::string>().find("run.with_bn.final_accuracy") != std::string::npos);
        broken["with_bn"] = "fast";
        CHECK(grade("s3-fig1-accuracy", 1, {{"prediction", paper("s3-fig1-accuracy")}, {"run", broken}})["verdict"] == "invalid");
        CHECK(grade("s3-fig1-accuracy", 1, {{"prediction", paper("s3-fig1-accuracy")}, {"run", "yes"}})["verdict"] == "invalid");
    }
}

// --- Step 4 -------------------------------------------------------------------------------------------------

namespace {
// r ← (1 − w)·r + w·stat, with the unbiased or the biased batch variance.
std::pair<double, double> blend(const json& batches, double mean0, double var0, double w, bool unbiased) {
    double m = mean0, v = var0;
    for (const json& b : batches) {
        const Vec x = b;
        m = (1 - w) * m + w * mean_of(x);
        v = (1 - w) * v + w * (unbiased ? var_unbiased(x) : biased_var_of(x));
    }
    return {m, v};
}
json as_answer(std::pair<double, double> r) { return {{"running_mean", r.first}, {"running_var", r.second}}; }
}  // namespace

TEST_CASE("s4-running-pytorch and s4-running-keras: seed 7 by NumPy, and every mistake named for many seeds") {
    // expected_seed7.txt: PyTorch 1.10025, 2.55725; Keras 0.15852825, 1.1253479375.
    CHECK(grade("s4-running-pytorch", 7, {{"running_mean", 1.10025}, {"running_var", 2.55725}})["verdict"] == "correct");
    CHECK(mistake_of(grade("s4-running-pytorch", 7, {{"running_mean", 4.32225}, {"running_var", 10.27525}})) == "momentum_flipped");
    CHECK(mistake_of(grade("s4-running-pytorch", 7, {{"running_mean", 1.10025}, {"running_var", 2.1001875}})) == "stored_biased_variance");
    CHECK(mistake_of(grade("s4-running-pytorch", 7, {{"running_mean", 1.10025}, {"running_var", 1.82825}})) == "running_var_init_zero");
    CHECK(grade("s4-running-keras", 7, {{"running_mean", 0.15852825}, {"running_var", 1.1253479375}})["verdict"] == "correct");
    CHECK(mistake_of(grade("s4-running-keras", 7, {{"running_mean", 4.53699675}, {"running_var", 8.6797208125}})) == "momentum_flipped");
    CHECK(mistake_of(grade("s4-running-keras", 7, {{"running_mean", 0.15852825}, {"running_var", 1.177030916667}})) == "stored_unbiased_variance");
    CHECK(mistake_of(grade("s4-running-keras", 7, {{"running_mean", 0.15852825}, {"running_var", 0.1550489375}})) == "running_var_init_zero");
    for (std::uint64_t seed = 0; seed < kSeeds; ++seed) {
        CAPTURE(seed);
        const json bp = exercise("s4-running-pytorch", seed)["data"]["batches"];
        CHECK(grade("s4-running-pytorch", seed, as_answer(blend(bp, 0, 1, 0.1, true)))["verdict"] == "correct");
        CHECK(mistake_of(grade("s4-running-pytorch", seed, as_answer(blend(bp, 0, 1, 0.9, true)))) == "momentum_flipped");
        CHECK(mistake_of(grade("s4-running-pytorch", seed, as_answer(blend(bp, 0, 1, 0.1, false)))) == "stored_biased_variance");
        CHECK(mistake_of(grade("s4-running-pytorch", seed, as_answer(blend(bp, 0, 0, 0.1, true)))) == "running_var_init_zero");
        const json bk = exercise("s4-running-keras", seed)["data"]["batches"];
        CHECK(grade("s4-running-keras", seed, as_answer(blend(bk, 0, 1, 0.01, false)))["verdict"] == "correct");
        CHECK(mistake_of(grade("s4-running-keras", seed, as_answer(blend(bk, 0, 1, 0.99, false)))) == "momentum_flipped");
        CHECK(mistake_of(grade("s4-running-keras", seed, as_answer(blend(bk, 0, 1, 0.01, true)))) == "stored_unbiased_variance");
        CHECK(mistake_of(grade("s4-running-keras", seed, as_answer(blend(bk, 0, 0, 0.01, false)))) == "running_var_init_zero");
    }
}

TEST_CASE("s4-eval-single: the running statistics decide; batch statistics give β") {
    // expected_seed7.txt: right −0.089070710094; batch stats 0.9 (= β); ε omitted −0.135098339014;
    // forgot β −0.989070710094; forgot γ 2.548451183489; no square root 0.247826086957.
    CHECK(grade("s4-eval-single", 7, {{"y", -0.08907}})["verdict"] == "correct");
    CHECK(mistake_of(grade("s4-eval-single", 7, {{"y", 0.9}})) == "batch_stats_at_inference");
    CHECK(mistake_of(grade("s4-eval-single", 7, {{"y", -0.1351}})) == "eps_omitted");
    CHECK(mistake_of(grade("s4-eval-single", 7, {{"y", -0.98907}})) == "forgot_beta");
    CHECK(mistake_of(grade("s4-eval-single", 7, {{"y", 2.54845}})) == "forgot_gamma");
    CHECK(mistake_of(grade("s4-eval-single", 7, {{"y", 0.24783}})) == "var_instead_of_std");
    for (std::uint64_t seed = 0; seed < kSeeds; ++seed) {
        const json d = exercise("s4-eval-single", seed)["data"];
        const double x = d["x"], g = d["gamma"], b = d["beta"], rm = d["running_mean"], rv = d["running_var"], eps = d["eps"];
        const double xh = (x - rm) / std::sqrt(rv + eps);
        CAPTURE(seed);
        CHECK(grade("s4-eval-single", seed, {{"y", g * xh + b}})["verdict"] == "correct");
        CHECK(mistake_of(grade("s4-eval-single", seed, {{"y", b}})) == "batch_stats_at_inference");
        CHECK(mistake_of(grade("s4-eval-single", seed, {{"y", g * (x - rm) / std::sqrt(rv) + b}})) == "eps_omitted");
        CHECK(mistake_of(grade("s4-eval-single", seed, {{"y", g * xh}})) == "forgot_beta");
        CHECK(mistake_of(grade("s4-eval-single", seed, {{"y", xh + b}})) == "forgot_gamma");
        CHECK(mistake_of(grade("s4-eval-single", seed, {{"y", g * (x - rm) / (rv + eps) + b}})) == "var_instead_of_std");
    }
}

TEST_CASE("s4-batch-of-one: PyTorch refuses, Keras returns β, eval mode is fine") {
    for (std::uint64_t seed = 0; seed < kSeeds; ++seed) {
        CAPTURE(seed);
        const std::vector<std::string> truths = letters_judged("s4-batch-of-one", seed, "True.");
        const std::vector<std::string> falsehoods = letters_judged("s4-batch-of-one", seed, "False.");
        CHECK(grade("s4-batch-of-one", seed, {{"choices", truths}})["verdict"] == "correct");
        if (!falsehoods.empty()) {
            json too_many = truths;
            too_many.push_back(falsehoods[0]);
            CHECK(grade("s4-batch-of-one", seed, {{"choices", too_many}})["verdict"] == "incorrect");
        }
    }
    // Whichever statements a seed draws, the β in them is the drawn one (seed 7: β = −0.8).
    const json e = exercise("s4-batch-of-one", 7);
    for (const json& o : e["options"])
        if (o["text"].get<std::string>().find("Keras") != std::string::npos)
            CHECK(o["text"].get<std::string>().find("β = −0.8") != std::string::npos);
    CHECK(e["data"]["beta"] == -0.8);
}

TEST_CASE("s4-fold: W' and b' verified by equal eval outputs; each mistake named") {
    // expected_seed7.txt: W' = [1.38012783267, 0, −2.070191749005, −3.211574698079, 4.817362047119, 0],
    // b' = [1.435095874502, −1.345208614136]; b' without the running mean: [0.952051133068, 1.224051144328].
    const json W = {1.38012783267, 0, -2.070191749005, -3.211574698079, 4.817362047119, 0};
    const json g = grade("s4-fold", 7, {{"W", W}, {"b", "1.4351, -1.3452"}});
    CHECK(g["verdict"] == "correct");
    // The folded layer reproduces the eval outputs: for u = (1, −2, 3), BN(Wu + b) = (−3.395351539842, −14.191507406452).
    CHECK(g["eval_check"]["got"][4][0].get<double>() == doctest::Approx(-3.395351539842).epsilon(1e-6));
    CHECK(g["eval_check"]["expected"][4][1].get<double>() == doctest::Approx(-14.191507406452).epsilon(1e-9));
    CHECK(mistake_of(grade("s4-fold", 7, {{"W", W}, {"b", {0.952051133068, 1.224051144328}}})) == "fold_forgot_mean");
    CHECK(mistake_of(grade("s4-fold", 7, {{"W", W}, {"b", {1.435095874502 - 0.4, -1.345208614136 - 0.1}}})) == "forgot_beta");
    CHECK(mistake_of(grade("s4-fold", 7, {{"W", "[2 0 -3 -2 3 0]"}, {"b", {1.435095874502, -1.345208614136}}})) == "fold_unscaled_weights");
    const json short_w = grade("s4-fold", 7, {{"W", {1, 2, 3}}, {"b", {1, 2}}});
    CHECK(short_w["verdict"] == "invalid");
    CHECK(short_w["message"].get<std::string>().find("expected 6 numbers, got 3") != std::string::npos);
    for (std::uint64_t seed = 0; seed < kSeeds; ++seed) {
        const json d = exercise("s4-fold", seed)["data"];
        json Wf = json::array(), Wunscaled = json::array(), Wnoroot = json::array(), bf = json::array(), bnoroot = json::array(),
             bnomean = json::array();
        for (std::size_t j = 0; j < 2; ++j) {
            const double gam = d["gamma"][j], rv = d["running_var"][j], rm = d["running_mean"][j], b = d["b"][j], bet = d["beta"][j];
            const double s = gam / std::sqrt(rv + 1e-5), s2 = gam / (rv + 1e-5);
            for (std::size_t i = 0; i < 3; ++i) {
                const double w = d["W"][j][i];
                Wf.push_back(w * s);
                Wunscaled.push_back(w);
                Wnoroot.push_back(w * s2);
            }
            bf.push_back((b - rm) * s + bet);
            bnoroot.push_back((b - rm) * s2 + bet);
            bnomean.push_back(b * s + bet);
        }
        CAPTURE(seed);
        CHECK(grade("s4-fold", seed, {{"W", Wf}, {"b", bf}})["verdict"] == "correct");
        CHECK(mistake_of(grade("s4-fold", seed, {{"W", Wf}, {"b", bnomean}})) == "fold_forgot_mean");
        CHECK(mistake_of(grade("s4-fold", seed, {{"W", Wunscaled}, {"b", bf}})) == "fold_unscaled_weights");
        CHECK(mistake_of(grade("s4-fold", seed, {{"W", Wnoroot}, {"b", bnoroot}})) == "var_instead_of_std");
    }
}

TEST_CASE("the stated tolerance says exactly what is accepted") {
    // hand_tolerance accepts |got − want| ≤ 0.001 + 0.001·|want|; the sentence is made from those numbers.
    const json e = exercise("s1-mean-var", 7);
    CHECK(e["tolerance"]["text"] == "accepted if it differs from the right value by at most 0.001 + 0.1 % of the right value");
    // μ = 1.8: accepted up to 1.8 + 0.001 + 0.0018 = 1.8028, refused beyond.
    CHECK(grade("s1-mean-var", 7, {{"mean", 1.8027}, {"var", 4.96}})["verdict"] == "correct");
    CHECK(grade("s1-mean-var", 7, {{"mean", 1.8029}, {"var", 4.96}})["verdict"] == "incorrect");
}

// --- Step 3 against real runs --------------------------------------------------------------------------------

namespace {
// A run summary made by a real native run of the lab's defaults (tests/fixtures/exercises/run-*.json, written
// by make-run-summaries.mjs there, with the commands that made it).
json real_run(const std::string& name) {
    std::ifstream in(std::string(BNKATA_EXERCISE_FIXTURES) + "/" + name);
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str())["summary"];
}
}  // namespace

TEST_CASE("on the lab's default runs, the paper's answer to every step-3 question is graded correct") {
    const json fig1 = real_run("run-fig1-seed1.json");
    const json bias = real_run("run-bias-blowup-seed1.json");
    const json sweep = real_run("run-lr-sweep-seed1.json");
    CHECK(grade("s3-lr-sweep", 1, {{"prediction", paper("s3-lr-sweep")}, {"run", sweep}})["verdict"] == "correct");
    CHECK(sweep["max_stable_lr"]["with_bn"].get<double>() > sweep["max_stable_lr"]["without_bn"].get<double>());
    CHECK(grade("s3-fig1-accuracy", 1, {{"prediction", paper("s3-fig1-accuracy")}, {"run", fig1}})["verdict"] == "correct");
    const json drift = grade("s3-fig1-drift", 1, {{"prediction", paper("s3-fig1-drift")}, {"run", fig1}});
    CHECK(drift["verdict"] == "correct");
    CHECK(drift["message"].get<std::string>().find("15th to the 85th percentile") != std::string::npos);
    CHECK(grade("s3-bias-blowup", 1, {{"prediction", paper("s3-bias-blowup")}, {"run", bias}})["verdict"] == "correct");
    // What the lesson says of the run: the medians barely move, so judged on them the paper's answer would
    // not be clearly right; the span is what differs.
    CHECK(fig1["without_bn"]["span_drift"].get<double>() > 1.5 * fig1["with_bn"]["span_drift"].get<double>());
}
