// Step 4 in code: the learner's train/eval switch, run by the page, graded like a test runner. The
// learner's function is played here by a plain C++ version (with switches for the classic wrong ones),
// written from the kata's formulas independently of the core; the core's expected values are also held
// to what PyTorch really printed (tests/fixtures/pytorch_train_eval.txt).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bnkata/exercises/code_grading.hpp"
#include "exercise_requests.hpp"

using nlohmann::json;
using namespace exercise_requests;
using Vec = std::vector<double>;

namespace {

const char* kId = "s4-train-eval-code";

// A learner's batch_norm(x, gamma, beta, state, mode, momentum), right or with one classic wrong switch.
enum class Switch {
    right,
    eval_updates,          // updates the running statistics whatever the mode (normalizes eval with the old ones)
    eval_updates_first,    // in eval, updates first and normalizes with the updated statistics
    train_uses_running,    // normalizes with the running statistics in both modes
    biased_stored,         // stores the biased batch variance
    momentum_flipped,      // Keras's update with PyTorch's momentum
    state_replaced,        // `state = {…}` inside the function: the caller's state never changes
    batch_stats_in_eval,   // normalizes with the batch's statistics in both modes
    refuses_one_value,     // PyTorch's training-mode check, applied in eval mode too
};

json run_case(const json& c, Switch bug) {
    const Vec x = c["x"];
    const double gamma = c["gamma"], beta = c["beta"], momentum = c["momentum"], eps = 1e-5;
    const bool train = c["mode"] == "train";
    double running_mean = c["state"]["running_mean"], running_var = c["state"]["running_var"];
    const double m = static_cast<double>(x.size());
    if (bug == Switch::refuses_one_value && x.size() < 2) return {{"error", "Error: Expected more than 1 value per channel"}};
    double mean = 0, var = 0;
    for (double v : x) mean += v / m;
    for (double v : x) var += (v - mean) * (v - mean) / m;
    const double stored_var = bug == Switch::biased_stored ? var : var * m / (m - 1);
    const double old_mean = running_mean, old_var = running_var;
    const bool update = train || bug == Switch::eval_updates || bug == Switch::eval_updates_first;
    if (update && bug != Switch::state_replaced) {
        const double w = bug == Switch::momentum_flipped ? 1 - momentum : momentum;  // weight of the batch
        running_mean = (1 - w) * running_mean + w * mean;
        running_var = (1 - w) * running_var + w * stored_var;
    }
    double use_mean = train ? mean : old_mean, use_var = train ? var : old_var;
    if (bug == Switch::train_uses_running) use_mean = old_mean, use_var = old_var;
    if (bug == Switch::batch_stats_in_eval) use_mean = mean, use_var = var;
    if (bug == Switch::eval_updates_first && !train) use_mean = running_mean, use_var = running_var;
    json y = json::array();
    for (double v : x) {
        const double out = gamma * (v - use_mean) / std::sqrt(use_var + eps) + beta;
        y.push_back(std::isnan(out) ? json(nullptr) : json(out));
    }
    return {{"y", y}, {"state", {{"running_mean", running_mean}, {"running_var", running_var}}}};
}

json run_all(const json& cases, Switch bug) {
    json outs = json::array();
    for (const json& c : cases) outs.push_back(run_case(c, bug));
    return {{"outputs", outs}};
}

json cases_of(std::uint64_t seed) { return exercise(kId, seed)["cases"]; }

}  // namespace

TEST_CASE("s4-train-eval-code: the cases are the ones the prompt promises, in PyTorch's convention") {
    const json e = exercise(kId, 7);
    CHECK(e["kind"] == "code");
    CHECK(e["step"] == 4);
    CHECK(e["core"] == false);
    CHECK(e["function"]["name"] == "batch_norm");
    CHECK(e["function"]["params"] == json({"x", "gamma", "beta", "state", "mode", "momentum"}));
    CHECK(e["function"]["updates"]["state"] == json({"running_mean", "running_var"}));
    const std::string prompt = e["prompt"];
    CHECK(prompt.find("PyTorch") != std::string::npos);
    CHECK(prompt.find("(1 − momentum)·running + momentum·batch") != std::string::npos);
    CHECK(prompt.find("0.1") != std::string::npos);
    for (std::uint64_t seed = 0; seed < 30; ++seed) {
        const json cases = cases_of(seed);
        CAPTURE(seed);
        REQUIRE(cases.size() == 5);
        int train = 0, eval = 0, other_momentum = 0;
        bool eval_batch_of_one = false;
        for (const json& c : cases) {
            (c["mode"] == "train" ? train : eval) += 1;
            if (c["momentum"] != 0.1) ++other_momentum;
            if (c["mode"] == "eval" && c["x"].size() == 1) eval_batch_of_one = true;
            CHECK(c["state"]["running_var"].get<double>() > 0);
        }
        CHECK(train == 3);
        CHECK(eval == 2);
        CHECK(other_momentum == 1);
        CHECK(eval_batch_of_one);
    }
}

TEST_CASE("s4-train-eval-code: the core's expected values are what PyTorch printed for the kata's batch") {
    // pytorch_train_eval.txt: BatchNorm1d(1) on [1, 2, 3, 4]: train(), then eval(), then train() again.
    std::ifstream file(std::string(BNKATA_EXERCISE_FIXTURES) + "/../pytorch_train_eval.txt");
    REQUIRE(file.good());
    std::vector<Vec> printed;
    for (std::string line; std::getline(file, line);) {
        const auto open = line.find('[');
        if (open == std::string::npos) continue;
        std::string numbers = line.substr(open + 1, line.find(']') - open - 1);
        for (char& ch : numbers) if (ch == ',') ch = ' ';
        std::istringstream in(numbers);
        Vec row;
        for (double v; in >> v;) row.push_back(v);
        printed.push_back(row);
    }
    REQUIRE(printed.size() == 6);  // start, train y, state, eval y, state, state after the no_grad pass
    using bnkata::exercises::TrainEvalCase;
    using bnkata::exercises::expected_train_eval;
    const Vec x = {1, 2, 3, 4};
    const auto train = expected_train_eval(TrainEvalCase{"", x, 1, 0, printed[0][0], printed[0][1], true, 0.1});
    const auto eval = expected_train_eval(TrainEvalCase{"", x, 1, 0, train.running_mean, train.running_var, false, 0.1});
    const auto again = expected_train_eval(TrainEvalCase{"", x, 1, 0, eval.running_mean, eval.running_var, true, 0.1});
    auto close = [](double a, double b) { return std::fabs(a - b) <= 5e-7; };  // PyTorch printed 6 decimals
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(close(train.y[i], printed[1][i]));
        CHECK(close(eval.y[i], printed[3][i]));
    }
    CHECK(close(train.running_mean, printed[2][0]));
    CHECK(close(train.running_var, printed[2][1]));
    CHECK(close(eval.running_mean, printed[4][0]));  // eval leaves them as they were
    CHECK(close(eval.running_var, printed[4][1]));
    CHECK(close(again.running_mean, printed[5][0]));
    CHECK(close(again.running_var, printed[5][1]));
}

TEST_CASE("s4-train-eval-code: a right switch passes every case, for many seeds") {
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
        const json g = grade(kId, seed, run_all(cases_of(seed), Switch::right));
        CAPTURE(seed);
        CAPTURE(g.dump());
        CHECK(g["verdict"] == "correct");
        CHECK(g["first_failure"].is_null());
        CHECK(g["mistake"].is_null());
    }
}

TEST_CASE("s4-train-eval-code: each wrong switch fails and is named, for many seeds") {
    const std::vector<std::pair<Switch, std::string>> mistakes = {
        {Switch::eval_updates, "eval_updates_running"},
        {Switch::eval_updates_first, "eval_updates_running"},
        {Switch::train_uses_running, "train_uses_running_stats"},
        {Switch::biased_stored, "stored_biased_variance"},
        {Switch::momentum_flipped, "momentum_flipped"},
        {Switch::state_replaced, "running_not_updated"},
        {Switch::batch_stats_in_eval, "batch_stats_at_inference"},
        {Switch::refuses_one_value, "batch_of_one_in_eval"},
    };
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
        const json cases = cases_of(seed);
        for (const auto& mistake : mistakes) {
            // Named, not a structured binding: clang cannot capture a binding in doctest's CAPTURE.
            const Switch bug = mistake.first;
            const std::string& id = mistake.second;
            const json g = grade(kId, seed, run_all(cases, bug));
            CAPTURE(seed);
            CAPTURE(id);
            CAPTURE(g["message"].get<std::string>());
            CHECK(g["verdict"] == "incorrect");
            CHECK(mistake_of(g) == id);
            CHECK(g["message"].get<std::string>().find("Mistake spotted") != std::string::npos);
        }
    }
}

TEST_CASE("s4-train-eval-code: the first failure says which case, and what the result implies") {
    const json cases = cases_of(7);
    SUBCASE("eval mode updating the state: the eval case fails on the state, y is right") {
        const json g = grade(kId, 7, run_all(cases, Switch::eval_updates));
        CHECK(g["first_failure"]["case"] == "eval");
        CHECK(g["first_failure"]["message"] == "eval mode changed the running statistics");
        CHECK(g["cases"][0]["passed"] == true);  // training mode is right
    }
    SUBCASE("training with the running statistics: the trace recovers the statistics y was normalized with") {
        const json g = grade(kId, 7, run_all(cases, Switch::train_uses_running));
        CHECK(g["first_failure"]["case"] == "train");
        const json& used = g["first_failure"]["trace"][1];
        CHECK(used["stage"] == "y normalized with (μ_B, σ²_B)");
        // Case "train" starts from a fresh layer's state (0, 1): that is what the learner's y was normalized with.
        CHECK(used["got_mean"].get<double>() == doctest::Approx(0).epsilon(1e-9));
        CHECK(used["got_var"].get<double>() == doctest::Approx(1).epsilon(1e-9));
        CHECK(used["mean"].get<double>() != doctest::Approx(0));
    }
    SUBCASE("y alone tells which statistics normalized it, whatever the state became") {
        json answer = run_all(cases, Switch::train_uses_running);
        answer["outputs"][0]["state"]["running_var"] = 42;
        CHECK(mistake_of(grade(kId, 7, answer)) == "train_uses_running_stats");
        answer = run_all(cases, Switch::batch_stats_in_eval);
        answer["outputs"][1]["state"]["running_mean"] = -42;
        CHECK(mistake_of(grade(kId, 7, answer)) == "batch_stats_at_inference");
    }
    SUBCASE("eval mode with the right y and any change of the state") {
        json answer = run_all(cases, Switch::right);
        answer["outputs"][1]["state"]["running_var"] = 0;
        const json g = grade(kId, 7, answer);
        CHECK(g["first_failure"]["case"] == "eval");
        CHECK(mistake_of(g) == "eval_updates_running");
    }
    SUBCASE("the biased variance stored: y is right, the running variance is too small by (m − 1)/m of the update") {
        const json g = grade(kId, 7, run_all(cases, Switch::biased_stored));
        const json& after = g["first_failure"]["trace"][2];
        CHECK(after["stage"] == "running statistics afterwards");
        CHECK(after["got_var"].get<double>() < after["var"].get<double>());
        CHECK(after["got_mean"].get<double>() == doctest::Approx(after["mean"].get<double>()));
    }
    SUBCASE("a batch of one refused in eval: only that case fails") {
        const json g = grade(kId, 7, run_all(cases, Switch::refuses_one_value));
        CHECK(g["first_failure"]["case"] == "eval, a batch of one");
        CHECK(g["first_failure"]["message"].get<std::string>().find("threw an error: Error: Expected more than 1 value") == 0);
        for (std::size_t k = 0; k + 1 < cases.size(); ++k) CHECK(g["cases"][k]["passed"] == true);
    }
}

TEST_CASE("s4-train-eval-code: exceptions, timeouts and malformed results fail their case cleanly") {
    const json cases = cases_of(7);
    json answer = run_all(cases, Switch::right);
    answer["outputs"][0] = {{"error", "TypeError: state is undefined (line 3)"}};
    answer["outputs"][1] = {{"timeout", true}};
    answer["outputs"][2] = {{"y", {1, 2}}, {"state", {{"running_mean", 0}, {"running_var", 1}}}};
    answer["outputs"][3] = {{"y", cases[3]["x"]}};
    answer["outputs"][4] = {{"y", cases[4]["x"]}, {"state", {{"running_mean", "0"}, {"running_var", 1}}}};
    const json g = grade(kId, 7, answer);
    CHECK(g["verdict"] == "incorrect");
    CHECK(g["first_failure"]["case"] == "train");
    CHECK(g["first_failure"]["message"].get<std::string>().find("TypeError: state is undefined") != std::string::npos);
    CHECK(g["mistake"].is_null());
    CHECK(g["cases"][1]["message"] == "timed out (an endless loop?)");
    CHECK(g["cases"][2]["message"].get<std::string>().find("entries, expected 4") != std::string::npos);
    CHECK(g["cases"][3]["message"].get<std::string>().find("returned no state") == 0);
    CHECK(g["cases"][4]["message"] == "state.running_mean is not a number after the call");
    // NaN (sent as null) in y is a wrong y, not a crash.
    json nan_y = run_all(cases, Switch::right);
    nan_y["outputs"][0]["y"][0] = nullptr;
    CHECK(grade(kId, 7, nan_y)["first_failure"]["case"] == "train");
    // The wrong number of results is the page's mistake: invalid, saying how many were expected.
    const json few = grade(kId, 7, {{"outputs", {answer["outputs"][0]}}});
    CHECK(few["verdict"] == "invalid");
    CHECK(few["message"].get<std::string>().find("expected 5") != std::string::npos);
    CHECK(grade(kId, 7, json::object())["verdict"] == "not_attempted");
}
