// A finished run reduced to the numbers step 3 grades: drifts, medians and the largest rate that trains,
// checked on small metric series whose answers can be worked out by hand, then on a real run.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bnkata/training/lab.hpp"
#include "bnkata/training/run_summary.hpp"

using namespace bnkata::training;
using nlohmann::json;

namespace {

json net(const std::string& batchnorm, double learning_rate = 0.1) {
    return {{"sizes", {2, 4, 3}}, {"batchnorm", batchnorm}, {"learning_rate", learning_rate},
            {"data", {{"kind", "blobs"}, {"train", 100}, {"test", 50}}}};
}

// A step(k) answer with only the fields a summary reads (the rest may be absent).
json report(double step, json accuracy, json p15 = nullptr, json p50 = nullptr, json p85 = nullptr, bool diverged = false) {
    return {{"step", step},
            {"test", {{"accuracy", accuracy}, {"loss", 0.5}}},
            {"monitor", {{"p15", p15}, {"p50", p50}, {"p85", p85}}},
            {"diverged", diverged ? json{{"step", step}, {"quantity", "loss"}} : json(nullptr)}};
}

json lane(const json& config, const json& reports, const json& probes = json::array()) {
    return {{"config", config}, {"reports", reports}, {"probes", probes}};
}

json summary(const std::string& experiment, const json& lanes) {
    return run_summary_json({{"experiment", experiment}, {"lanes", lanes}});
}

json sweep_point(double lr, const std::string& batchnorm, double accuracy, bool diverged = false) {
    return lane(net(batchnorm, lr), json::array({report(500, accuracy, nullptr, nullptr, nullptr, diverged)}));
}

}  // namespace

TEST_CASE("fig1: the span drift is the largest distance of p85 − p15 from its first value") {
    // Without BN the span goes 1 → 3 → 2 (largest drift 2, though it ends only 1 away); the median
    // moves 0 → 0.25 → −0.5 (drift 0.5). With BN the span goes 2 → 2.5, and one report has no
    // percentiles at all (null: not finite), which is skipped rather than read as 0.
    const json plain = lane(net("none"), {report(50, 0.3, -0.5, 0.0, 0.5), report(100, 0.6, -1.0, 0.25, 2.0),
                                          report(150, 0.7, -1.5, -0.5, 0.5)});
    const json bn = lane(net("before"), {report(50, 0.5, -1.0, 0.0, 1.0), report(100, 0.8),
                                         report(150, 0.9, -1.0, 0.125, 1.5)});
    const json s = summary("fig1", {plain, bn});
    CHECK(s["experiment"] == "fig1");
    CHECK(s["without_bn"]["span_drift"].get<double>() == 2.0);
    CHECK(s["without_bn"]["p50_drift"].get<double>() == 0.5);
    CHECK(s["without_bn"]["final_accuracy"].get<double>() == 0.7);
    CHECK(s["without_bn"]["final_loss"].get<double>() == 0.5);
    CHECK(s["without_bn"]["diverged"] == false);
    CHECK(s["with_bn"]["span_drift"].get<double>() == 0.5);
    CHECK(s["with_bn"]["p50_drift"].get<double>() == 0.125);
    CHECK(s["with_bn"]["final_accuracy"].get<double>() == 0.9);
}

TEST_CASE("fig1: a lane that diverged says so, and its missing numbers are 0, not invented") {
    const json plain = lane(net("none"), {report(50, 0.3, -0.5, 0.0, 0.5), report(60, nullptr, nullptr, nullptr, nullptr, true)});
    const json bn = lane(net("after"), json::array({report(50, 0.5, -1.0, 0.0, 1.0)}));
    const json s = summary("fig1", {plain, bn});
    CHECK(s["without_bn"]["diverged"] == true);
    CHECK(s["without_bn"]["final_accuracy"].get<double>() == 0.0);
    CHECK(s["without_bn"]["span_drift"].get<double>() == 0.0);  // one finite span: no drift
    CHECK(s["with_bn"]["diverged"] == false);
}

TEST_CASE("lr-sweep: the largest swept rate whose net reaches 80 % without diverging, 0 when none does") {
    const json lanes = {
        sweep_point(0.1, "none", 0.85), sweep_point(0.1, "before", 0.88),
        sweep_point(1, "none", 0.82),   sweep_point(1, "before", 0.91),
        sweep_point(10, "none", 0.11),  sweep_point(10, "before", 0.80),  // exactly the bar: trains
        sweep_point(30, "none", 0.95, true), sweep_point(30, "before", 0.79),  // diverged / just below
    };
    const json s = summary("lr-sweep", lanes);
    CHECK(s["max_stable_lr"]["without_bn"].get<double>() == 1.0);
    CHECK(s["max_stable_lr"]["with_bn"].get<double>() == 10.0);
    // Never crossed: no rate trains without BN.
    const json never = summary("lr-sweep", {sweep_point(0.1, "none", 0.5), sweep_point(1, "none", 0.79), sweep_point(1, "before", 0.9)});
    CHECK(never["max_stable_lr"]["without_bn"].get<double>() == 0.0);
    CHECK(never["max_stable_lr"]["with_bn"].get<double>() == 1.0);
}

TEST_CASE("init-sweep lists the scales that reach 50 %, in the sweep's order") {
    json small = net("none"), big = net("none"), small_bn = net("before");
    small["init_scale"] = 1e-4;
    big["init_scale"] = 1.0;
    small_bn["init_scale"] = 1e-4;
    const json s = summary("init-sweep", {lane(small, json::array({report(500, 0.1)})),
                                          lane(small_bn, json::array({report(500, 0.6)})),
                                          lane(big, json::array({report(500, 0.9)}))});
    CHECK(s["scales_that_train"]["without_bn"] == json::array({1.0}));
    CHECK(s["scales_that_train"]["with_bn"] == json::array({1e-4}));
}

TEST_CASE("landscape: medians over the probes, skipping probes without a finite value") {
    const auto probe = [](double lo, double hi, double change, json beta) {
        return json{{"loss_range", {lo, hi}}, {"predictiveness_range", {0.0, change}}, {"beta_smoothness", beta}};
    };
    // Widths 1, 4, 2, 8 → median (2 + 4) / 2 = 3; β 5, null, 1 → median of {1, 5} = 3; changes 1, 2, 3, 4 → 2.5.
    const json plain = lane(net("none"), json::array({report(100, 0.5)}),
                            {probe(1, 2, 1, 5.0), probe(0, 4, 2, nullptr), probe(1, 3, 3, 1.0), probe(0, 8, 4, nullptr)});
    const json bn = lane(net("before"), json::array({report(100, 0.5)}), json::array({probe(1, 1.5, 0.5, 2.0)}));
    const json s = summary("landscape", {plain, bn});
    CHECK(s["steps"].get<double>() == 100);
    CHECK(s["without_bn"]["probes"] == 4);
    CHECK(s["without_bn"]["loss_range_width"].get<double>() == 3.0);
    CHECK(s["without_bn"]["beta_smoothness"].get<double>() == 3.0);
    CHECK(s["without_bn"]["gradient_change"].get<double>() == 2.5);
    CHECK(s["with_bn"]["loss_range_width"].get<double>() == 0.5);
}

TEST_CASE("bias-blowup reads the lane whose backward ignores μ_B: first and last bias norm and loss") {
    json ignored = net("before"), full = net("before");
    ignored["bn_grad_through_stats"] = false;
    const auto at = [](double step, double bias, double loss) {
        return json{{"step", step}, {"loss", loss}, {"layers", {{{"bias_norm", bias}}, {{"bias_norm", nullptr}}}}};
    };
    const json s = summary("bias-blowup", {lane(full, {at(50, 0, 1.1), at(100, 0, 1.1)}),
                                           lane(ignored, {at(50, 4.5, 1.137), at(100, 9, 1.137), at(150, 13.5, 1.138)})});
    CHECK(s["bias_blowup"] == json{{"bias_norm_start", 4.5}, {"bias_norm_end", 13.5}, {"loss_start", 1.137}, {"loss_end", 1.138}});
}

TEST_CASE("a record the summary cannot use is an error naming the field") {
    const json ok = lane(net("none"), json::array({report(50, 0.5)}));
    const auto field = [](const json& answer) { return answer["error"]["field"].get<std::string>(); };
    CHECK(field(summary("fig2", json::array({ok}))) == "experiment");
    CHECK(field(run_summary_json({{"experiment", "fig1"}})) == "lanes");
    CHECK(field(summary("fig1", json::array({ok}))) == "lanes");  // no lane with BN
    CHECK(field(summary("bias-blowup", json::array({ok}))) == "lanes");  // no lane that ignores μ_B
    json bad_rate = net("before");
    bad_rate["learning_rate"] = -1;
    CHECK(field(summary("fig1", {ok, lane(bad_rate, json::array())})) == "lanes[1].config.learning_rate");
    CHECK(field(summary("fig1", {ok, {{"config", net("before")}, {"reports", 3}}})) == "lanes[1].reports");
    CHECK(field(summary("fig1", {ok, lane(net("before"), {report(50, 0.5), "text"})})) == "lanes[1].reports[1]");
    CHECK(field(summary("fig1", {ok, lane(net("before"), json::array({report(50, 0.5)}), json::array({1}))})) == "lanes[1].probes[0]");
    CHECK(field(json::parse(run_summary("{\"experiment\": "))) == "request");
}

TEST_CASE("on a real run, the summary is the run's own numbers: last accuracy and largest span drift") {
    std::vector<json> reports[2];
    json configs[2];
    for (int bn = 0; bn < 2; ++bn) {
        configs[bn] = {{"seed", 3}, {"sizes", {2, 16, 16, 3}}, {"batchnorm", bn ? "before" : "none"}, {"batch_size", 20},
                       {"data", {{"kind", "blobs"}, {"train", 600}, {"test", 300}}}};
        Lab lab;
        REQUIRE_FALSE(lab.configure_json(configs[bn]).contains("error"));
        for (int chunk = 0; chunk < 6; ++chunk) reports[bn].push_back(lab.step_json(25));
    }
    const json s = summary("fig1", {lane(configs[0], reports[0]), lane(configs[1], reports[1])});
    for (int bn = 0; bn < 2; ++bn) {
        const json& side = s[bn ? "with_bn" : "without_bn"];
        CHECK(side["final_accuracy"] == reports[bn].back()["test"]["accuracy"]);
        double first_span = 0, drift = 0;
        for (std::size_t i = 0; i < reports[bn].size(); ++i) {
            const json& m = reports[bn][i]["monitor"];
            const double span = m["p85"].get<double>() - m["p15"].get<double>();
            if (i == 0) first_span = span;
            drift = std::max(drift, std::fabs(span - first_span));
        }
        CHECK(side["span_drift"].get<double>() == drift);
        CHECK(drift > 0);
    }
}
