// A training run as the lab drives it: configs in, metrics out — determinism, learning, divergence,
// bad input.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bnkata/training/lab.hpp"
#include "bnkata/training/mnist.hpp"

using namespace bnkata::training;
using nlohmann::json;

namespace {
json configure(Lab& lab, const json& config) { return lab.configure_json(config); }

json blobs(const std::string& batchnorm) {
    return {{"seed", 3}, {"sizes", {2, 16, 16, 3}}, {"activation", "tanh"}, {"batchnorm", batchnorm},
            {"init_scale", 1.0}, {"init_mode", "fan_in"}, {"learning_rate", 0.1}, {"batch_size", 20},
            {"data", {{"kind", "blobs"}, {"train", 600}, {"test", 300}, {"noise", 0.1}}}};
}
}  // namespace

TEST_CASE("two runs of one config and seed are identical, step by step") {
    for (const char* bn : {"none", "before", "after"}) {
        CAPTURE(bn);
        Lab a, b;
        REQUIRE_FALSE(configure(a, blobs(bn)).contains("error"));
        REQUIRE_FALSE(configure(b, blobs(bn)).contains("error"));
        const json ra = a.step_json(150), rb = b.step_json(150);
        CHECK(ra.dump() == rb.dump());
        SUBCASE("and a different seed gives a different run") {
            Lab c;
            json other = blobs(bn);
            other["seed"] = 4;
            REQUIRE_FALSE(configure(c, other).contains("error"));
            CHECK(c.step_json(150)["batch_losses"] != ra["batch_losses"]);
        }
    }
}

TEST_CASE("stepping 100 then 50 is the same run as stepping 150") {
    Lab a, b;
    configure(a, blobs("before"));
    configure(b, blobs("before"));
    a.step_json(100);
    const json ra = a.step_json(50), rb = b.step_json(150);
    CHECK(ra["test"] == rb["test"]);
    CHECK(ra["batch_losses"].back() == rb["batch_losses"].back());
}

TEST_CASE("training on Gaussian blobs reduces the loss and classifies most test points, with and without BN") {
    for (const char* bn : {"none", "before", "after"}) {
        CAPTURE(bn);
        Lab lab;
        REQUIRE_FALSE(configure(lab, blobs(bn)).contains("error"));
        const json first = lab.step_json(10);
        const json later = lab.step_json(400);
        CAPTURE(first["loss"]);
        CAPTURE(later["loss"]);
        CHECK(later["loss"].get<double>() < 0.5 * first["loss"].get<double>());
        // Three blobs 2 apart (centres on a circle of radius 2), std 0.6: they overlap a little, so a
        // good classifier gets ~90 %; chance is 33 %.
        CHECK(later["test"]["accuracy"].get<double>() > 0.8);
        CHECK(later["diverged"].is_null());
        CHECK(later["layers"].size() == 3);
        CHECK(later["monitor"]["p15"].get<double>() <= later["monitor"]["p50"].get<double>());
        CHECK(later["monitor"]["p50"].get<double>() <= later["monitor"]["p85"].get<double>());
    }
}

TEST_CASE("a learning rate that blows the net up stops the run and names the step and the quantity") {
    Lab lab;
    json config = blobs("none");
    config["activation"] = "relu";
    config["learning_rate"] = 1000;
    config["init_scale"] = 5.0;
    REQUIRE_FALSE(configure(lab, config).contains("error"));
    const json r = lab.step_json(500);
    REQUIRE(r["diverged"].is_object());
    CAPTURE(r["diverged"]);
    CHECK(r["diverged"]["step"].get<int>() >= 1);
    CHECK(r["diverged"]["step"].get<int>() <= 500);
    CHECK(r["step"].get<int>() < 500);
    CHECK(!r["diverged"]["quantity"].get<std::string>().empty());
    SUBCASE("and later steps do not train further") {
        const json again = lab.step_json(10);
        CHECK(again["step"] == r["step"]);
        CHECK(again["diverged"] == r["diverged"]);
        CHECK(again["batch_losses"].empty());
    }
}

TEST_CASE("bad configs are rejected with the field's name") {
    struct Case {
        json config;
        std::string field;
    };
    const Case cases[] = {
        {{{"learning_rate", -1}}, "learning_rate"},
        {{{"learning_rate", "fast"}}, "learning_rate"},
        {{{"activation", "swish"}}, "activation"},
        {{{"batchnorm", true}}, "batchnorm"},
        {{{"sizes", {784, 0, 10}}}, "sizes[1]"},
        {{{"sizes", {784}}}, "sizes"},
        {{{"sizes", {784, 100, 1}}}, "sizes[2]"},
        {{{"batch_size", 0}}, "batch_size"},
        {{{"batch_size", 1}, {"batchnorm", "before"}}, "batch_size"},
        {{{"batch_size", 2.5}}, "batch_size"},
        {{{"batch_size", 4096}, {"sizes", {4096, 100, 10}}}, "batch_size"},
        {{{"momentum", 1}}, "momentum"},
        {{{"init_scale", 0}}, "init_scale"},
        {{{"seed", -3}}, "seed"},
        {{{"data", {{"kind", "imagenet"}}}}, "data.kind"},
        {{{"data", {{"kind", "spiral"}, {"train", 10}}}}, "data.train"},
        {{{"data", {{"kind", "spiral"}}}, {"sizes", {784, 10, 3}}}, "sizes[0]"},
        {{{"data", {{"kind", "spiral"}, {"shape", 1}}}}, "data.shape"},
        {{{"monitor_layer", 3}}, "monitor_layer"},
        {{{"monitor_unit", 100}}, "monitor_unit"},
        {{{"trainable", "weights"}}, "trainable"},
        {{{"trainable", "bias_before_bn"}, {"batchnorm", "none"}}, "trainable"},
        {{{"trainable", "bias_before_bn"}, {"batchnorm", "after"}}, "trainable"},
        {{{"norm", "instance"}, {"batchnorm", "before"}}, "norm"},
        {{{"norm", 1}, {"batchnorm", "before"}}, "norm"},
        {{{"norm", "layer"}}, "norm"},
        {{{"norm", "group"}, {"batchnorm", "before"}}, "norm_groups"},
        {{{"norm", "group"}, {"batchnorm", "before"}, {"norm_groups", 0}}, "norm_groups"},
        {{{"norm", "group"}, {"batchnorm", "before"}, {"norm_groups", 2.5}}, "norm_groups"},
        {{{"norm", "group"}, {"batchnorm", "before"}, {"norm_groups", 3}, {"sizes", {784, 99, 100, 10}}}, "norm_groups"},
        {{{"norm", "layer"}, {"batchnorm", "before"}, {"norm_groups", 2}}, "norm_groups"},
        {{{"norm", "layer"}, {"batchnorm", "before"}, {"bn_grad_through_stats", false}}, "bn_grad_through_stats"},
        {{{"norm", "group"}, {"norm_groups", 4}, {"batchnorm", "before"}, {"trainable", "bias_before_bn"}}, "trainable"},
        {{{"test_batch_statistics", "yes"}}, "test_batch_statistics"},
        {{{"learning_rat", 0.1}}, "learning_rat"},
        {json::array(), "config"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.config.dump());
        Lab lab;
        const json r = configure(lab, c.config);
        CHECK(r.contains("error"));
        CHECK(r["error"]["field"] == c.field);
        CHECK(!r["error"]["message"].get<std::string>().empty());
    }
    SUBCASE("and so are bad data, bad step counts and bad probes, as values, never as exceptions") {
        Lab lab;
        CHECK(lab.step_json(1)["error"]["field"] == "config");
        CHECK(json::parse(lab.configure("{not json"))["error"]["field"] == "config");
        REQUIRE_FALSE(configure(lab, {{"sizes", {3, 4, 2}}, {"batch_size", 2}}).contains("error"));
        CHECK(lab.step_json(1)["error"]["field"] == "data");
        const float images[6] = {0, 1, 2, 3, 4, 5};
        const int32_t labels[2] = {0, 2};
        CHECK(json::parse(lab.set_data("train", images, 6, labels, 2))["error"]["field"] == "labels");
        CHECK(json::parse(lab.set_data("train", images, 5, labels, 2))["error"]["field"] == "images");
        CHECK(json::parse(lab.set_data("validation", images, 6, labels, 2))["error"]["field"] == "split");
        const int32_t good[2] = {0, 1};
        CHECK_FALSE(json::parse(lab.set_data("train", images, 6, good, 2)).contains("error"));
        CHECK(lab.step_json(0)["error"]["field"] == "k");
        CHECK(lab.step_json(2.5)["error"]["field"] == "k");
        CHECK(lab.probe_json({{"etas", json::array()}})["error"]["field"] == "etas");
        CHECK(lab.probe_json({{"etas", {0.1, -1}}})["error"]["field"] == "etas");
        CHECK_FALSE(lab.step_json(3).contains("error"));
    }
}

TEST_CASE("the probe reports the Santurkar et al. quantities and leaves the run unchanged") {
    Lab probed, plain;
    configure(probed, blobs("before"));
    configure(plain, blobs("before"));
    probed.step_json(50);
    plain.step_json(50);
    const json p = probed.probe_json({{"etas", {0.01, 0.1, 1.0}}});
    REQUIRE_FALSE(p.contains("error"));
    CHECK(p["step"] == 50);
    CHECK(p["losses"].size() == 3);
    CHECK(p["loss_range"][0].get<double>() <= p["loss"].get<double>());
    CHECK(p["loss_range"][1].get<double>() >= p["loss"].get<double>());
    CHECK(p["predictiveness_range"][0].get<double>() <= p["predictiveness_range"][1].get<double>());
    CHECK(p["beta_smoothness"].get<double>() > 0);
    // The probed run continues exactly like the unprobed one.
    CHECK(probed.step_json(20).dump() == plain.step_json(20).dump());
}

TEST_CASE("Ioffe §2 in a full run: the bias before BN grows without the gradient through μ_B") {
    json exact = blobs("before"), ignored = blobs("before");
    ignored["bn_grad_through_stats"] = false;
    Lab a, b;
    configure(a, exact);
    configure(b, ignored);
    const json ra = a.step_json(300), rb = b.step_json(300);
    CHECK(ra["layers"][0]["bias_norm"].is_null());  // dropped: BN makes it redundant
    const double early = b.step_json(1)["layers"][0]["bias_norm"].get<double>();
    const double late = b.step_json(600)["layers"][0]["bias_norm"].get<double>();
    CAPTURE(early);
    CAPTURE(late);
    CHECK(late > 1.5 * early);
}

// Ioffe & Szegedy §2, as the paper tells it: "consider a layer … x̂ = x − E[x], x = u + b … If a gradient
// descent step ignores the dependence of E[x] on b, then it will update b ← b + Δb … u + (b + Δb) −
// E[u + (b + Δb)] = u + b − E[u + b] … b will grow indefinitely while the loss remains fixed." Only the
// biases before BN train (everything else is frozen, so nothing else can move the loss), on one fixed
// full batch (so the training loss is one function of the parameters, not a new batch's each step).
TEST_CASE("Ioffe §2 as the paper tells it: only the bias before BN learns; without the gradient through μ_B it grows without bound while the loss stays fixed") {
    const auto config = [](bool through_stats) {
        return json{{"seed", 1}, {"sizes", {2, 16, 16, 3}}, {"activation", "sigmoid"}, {"batchnorm", "before"},
                    {"bn_grad_through_stats", through_stats}, {"trainable", "bias_before_bn"},
                    {"learning_rate", 0.5}, {"batch_size", 60},
                    {"data", {{"kind", "blobs"}, {"train", 60}, {"test", 60}}}};
    };
    const auto bias = [](const json& r) { return r["layers"][0]["bias_norm"].get<double>(); };
    Lab ignored, exact;
    REQUIRE_FALSE(configure(ignored, config(false)).contains("error"));
    REQUIRE_FALSE(configure(exact, config(true)).contains("error"));
    const json i1 = ignored.step_json(1), e1 = exact.step_json(1);
    const json i500 = ignored.step_json(499), e500 = exact.step_json(499);
    const json i1000 = ignored.step_json(500), e1000 = exact.step_json(500);
    CAPTURE(i1.dump());
    CAPTURE(i1000["layers"].dump());

    SUBCASE("without the gradient through μ_B: the bias grows steadily — by the same amount every step") {
        CHECK(bias(i1000) > 10.0);                                              // from 0
        CHECK(bias(i1000) == doctest::Approx(2 * bias(i500)).epsilon(0.01));    // linear: no sign of stopping
        CHECK(bias(i1000) == doctest::Approx(1000 * bias(i1)).epsilon(0.01));
    }
    SUBCASE("…while the loss stays where it was (to 1e-4), as does the other net's") {
        // Before any update both nets compute the same loss; then neither loss moves.
        CHECK(i1["loss"].get<double>() == e1["loss"].get<double>());
        CHECK(std::fabs(i1000["loss"].get<double>() - i1["loss"].get<double>()) < 1e-4);
        CHECK(std::fabs(e1000["loss"].get<double>() - e1["loss"].get<double>()) < 1e-4);
    }
    SUBCASE("with the full gradient the bias gets no push: it stays at 0 up to rounding") {
        CHECK(bias(e1000) < 1e-3);
    }
}

TEST_CASE("the MNIST asset's bytes train exactly as the same digits given as pixels / 255") {
    namespace mnist = bnkata::training::mnist;
    std::vector<std::uint8_t> asset(mnist::kBytes);
    for (std::size_t i = 0; i < mnist::kDigits * mnist::kPixels; ++i) asset[i] = static_cast<std::uint8_t>((i * 37) % 256);
    for (std::size_t i = 0; i < mnist::kDigits; ++i) asset[mnist::kDigits * mnist::kPixels + i] = static_cast<std::uint8_t>(i % 10);
    const json config = {{"seed", 5}, {"sizes", {784, 16, 10}}, {"batch_size", 60}, {"test_examples", 100},
                         {"data", {{"kind", "external"}}}};

    Lab from_bytes, from_floats;
    REQUIRE_FALSE(configure(from_bytes, config).contains("error"));
    REQUIRE_FALSE(configure(from_floats, config).contains("error"));
    const json loaded = from_bytes.load_mnist_bytes(asset.data(), asset.size());
    CHECK(loaded == json{{"train", mnist::kTrain}, {"test", mnist::kDigits - mnist::kTrain}});
    for (const std::string split : {"train", "test"}) {
        const std::size_t first = split == "train" ? 0 : mnist::kTrain;
        const std::size_t count = split == "train" ? mnist::kTrain : mnist::kDigits - mnist::kTrain;
        std::vector<float> x(count * mnist::kPixels);
        for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(asset[first * mnist::kPixels + i]) / 255.0f;
        std::vector<int32_t> labels(count);
        for (std::size_t i = 0; i < count; ++i) labels[i] = asset[mnist::kDigits * mnist::kPixels + first + i];
        REQUIRE_FALSE(json::parse(from_floats.set_data(split, x.data(), x.size(), labels.data(), count)).contains("error"));
    }
    CHECK(from_bytes.step_json(5).dump() == from_floats.step_json(5).dump());

    SUBCASE("a file of the wrong size is an error naming the asset") {
        Lab lab;
        REQUIRE_FALSE(configure(lab, config).contains("error"));
        CHECK(lab.load_mnist_bytes(asset.data(), asset.size() - 1)["error"]["field"] == "mnist");
    }
    SUBCASE("uint8 pixels set one split the same way") {
        Lab lab;
        REQUIRE_FALSE(configure(lab, config).contains("error"));
        const std::uint8_t pixels[2 * 784] = {255};
        const int32_t labels[2] = {0, 9};
        CHECK(json::parse(lab.set_data_u8("test", pixels, 2 * 784, labels, 2)) == json{{"split", "test"}, {"examples", 2}});
    }
}

TEST_CASE("a config whose quoted value is cut inside a UTF-8 character is answered, not thrown") {
    // The message quotes at most 40 bytes of the value: "\"x" then two-byte characters puts the cut
    // inside one. The answer must still be valid JSON text.
    Lab lab;
    std::string accents = "x";
    for (int i = 0; i < 30; ++i) accents += "é";
    std::string answer;
    REQUIRE_NOTHROW(answer = lab.configure(json{{"activation", accents}}.dump()));
    const json r = json::parse(answer);
    CHECK(r["error"]["field"] == "activation");
    CHECK(r["error"]["message"].get<std::string>().find("\"xéé") != std::string::npos);
    // Invalid UTF-8 from outside is answered too (the bytes are replaced by U+FFFD in the message).
    REQUIRE_NOTHROW(answer = lab.configure(std::string("{\"activation\":\"\xff\xfe\"}")));
    CHECK(json::parse(answer).contains("error"));
}

TEST_CASE("configs and probe requests nested too deeply are refused with the dispatcher's depth limit") {
    Lab lab;
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    json r = json::parse(lab.configure(deep));
    CHECK(r["error"]["field"] == "config");
    CHECK(r["error"]["message"].get<std::string>().find("nested more than 32 levels deep") != std::string::npos);
    r = json::parse(lab.configure(R"({"sizes":)" + std::string(40, '[') + std::string(40, ']') + "}"));
    CHECK(r["error"]["field"] == "sizes");
    REQUIRE_FALSE(configure(lab, blobs("before")).contains("error"));
    r = json::parse(lab.probe(R"({"etas":)" + std::string(100000, '[') + std::string(100000, ']') + "}"));
    CHECK(r["error"]["field"] == "etas");
    CHECK(r["error"]["message"].get<std::string>().find("nested more than 32") != std::string::npos);
    CHECK_FALSE(json::parse(lab.probe(R"({"etas":[0.1]})")).contains("error"));  // the lab still answers
}

TEST_CASE("a spread too wide for float's squares makes the run diverge, never trains on a variance of 0") {
    // Inputs of ±1e20 give pre-activations whose squared deviations overflow float (past ~1.8e19): BN's
    // output becomes NaN, which the divergence check names, instead of a normalised batch from σ² = 0.
    Lab lab;
    REQUIRE_FALSE(configure(lab, {{"sizes", {2, 4, 2}}, {"batchnorm", "before"}, {"init_scale", 1.0}, {"batch_size", 4},
                            {"data", {{"kind", "external"}}}}).contains("error"));
    const float images[8] = {1e20f, -1e20f, -1e20f, 1e20f, 3e20f, 1e20f, -2e20f, -3e20f};
    const int32_t labels[4] = {0, 1, 0, 1};
    REQUIRE_FALSE(json::parse(lab.set_data("train", images, 8, labels, 4)).contains("error"));
    const json r = lab.step_json(1);
    REQUIRE(r["diverged"].is_object());
    CHECK(r["diverged"]["step"] == 1);
    CHECK(r["diverged"]["quantity"] == "BN outputs of layer 1");
}

TEST_CASE("work per step, per evaluation and per call is bounded, and the refusal names the fields") {
    Lab lab;
    // 3 × 1576 × 3,997,532 weights ≈ 18.9 billion multiply-adds for one step.
    json r = configure(lab, {{"sizes", {2, 4096, 974, 2}}, {"batch_size", 1576}});
    CHECK(r["error"]["field"] == "batch_size");
    CHECK(r["error"]["message"].get<std::string>().find("multiply-adds") != std::string::npos);
    // 100,000 test examples × 3,997,532 weights for one evaluation.
    r = configure(lab, {{"sizes", {2, 4096, 974, 2}}, {"batch_size", 2}, {"test_examples", 100000}});
    CHECK(r["error"]["field"] == "test_examples");
    // A config within both limits, asked for more steps in one call than the call's budget.
    const double weights = 2 * 1024 + 1024 * 1024 + 1024 * 2, units = 2 + 1024 + 1024 + 2;
    REQUIRE_FALSE(configure(lab, {{"sizes", {2, 1024, 1024, 2}}, {"batch_size", 200}, {"test_examples", 10},
                            {"data", {{"kind", "blobs"}, {"train", 200}, {"test", 10}}}}).contains("error"));
    const double step_work = 200 * (3.0 * weights + kActivationWork * units);
    CHECK(step_work <= kMaxStepWork);
    const double most = std::floor((kMaxCallWork - 10.0 * weights) / step_work);
    r = lab.step_json(most + 1);
    CHECK(r["error"]["field"] == "k");
    CHECK(r["error"]["message"].get<std::string>().find("at most " + std::to_string(static_cast<long long>(most))) !=
          std::string::npos);
    r = lab.probe_json({{"etas", std::vector<double>(64, 0.1)}});  // 65 gradients of 200 examples
    CHECK(r["error"]["field"] == "etas");
    CHECK_FALSE(lab.step_json(1).contains("error"));
    // Many narrow BN layers do little dense work per step but much per unit and example: steps are counted
    // by their activations too, so one call cannot run the 23,000 steps (two minutes) the weights alone allow.
    std::vector<int> narrow(33, 1);
    narrow.front() = narrow.back() = 2;
    REQUIRE_FALSE(configure(lab, {{"sizes", narrow}, {"batchnorm", "before"}, {"batch_size", 4096}, {"test_examples", 10},
                            {"data", {{"kind", "blobs"}, {"train", 4096}, {"test", 10}}}}).contains("error"));
    CHECK(lab.step_json(1000)["error"]["field"] == "k");
    // The lab's own configurations keep their chunks: the Fig. 1 network takes 250 steps per call.
    REQUIRE_FALSE(configure(lab, {{"sizes", {784, 100, 100, 100, 10}}, {"batch_size", 60}, {"test_examples", 2000}}).contains("error"));
    Config config;
    REQUIRE_FALSE(parse_config({{"sizes", {784, 100, 100, 100, 100, 100, 100, 100, 100, 10}}, {"batch_size", 60}}, config));
    CHECK(250 * config.step_work() + config.evaluation_work() <= kMaxCallWork);
}

TEST_CASE("layer and group norm train without a batch to normalise over, and their test accuracy with batch statistics is "
          "their eval-mode accuracy") {
    for (const json& norm : {json{{"norm", "layer"}}, json{{"norm", "group"}, {"norm_groups", 4}}}) {
        CAPTURE(norm.dump());
        json config = blobs("before");
        config.update(norm);
        config["batch_size"] = 1;  // accepted: no statistic crosses examples
        config["test_batch_statistics"] = true;
        Lab lab;
        REQUIRE_FALSE(configure(lab, config).contains("error"));
        const json r = lab.step_json(300);
        REQUIRE(r["diverged"].is_null());
        CHECK(r["test"]["accuracy"].get<double>() > 0.9);
        CHECK(r["test"]["batch_statistics"]["accuracy"] == r["test"]["accuracy"]);
        // the same per-example losses, averaged over chunks of another size: equal up to the sum's rounding
        CHECK(r["test"]["batch_statistics"]["loss"].get<double>() ==
              doctest::Approx(r["test"]["loss"].get<double>()).epsilon(1e-12));
        CHECK(r["test"]["batch_statistics"]["examples"] == 300);
    }
}

TEST_CASE("batch norm's test accuracy with batch statistics uses whole batches of batch_size, and differs from eval mode") {
    json config = blobs("before");
    config["batch_size"] = 4;
    config["test_examples"] = 299;  // 74 batches of 4; the last 3 examples make no batch
    config["test_batch_statistics"] = true;
    Lab lab;
    REQUIRE_FALSE(configure(lab, config).contains("error"));
    const json r = lab.step_json(20);
    CHECK(r["test"]["examples"] == 299);
    CHECK(r["test"]["batch_statistics"]["examples"] == 296);
    CHECK(r["test"]["batch_statistics"]["loss"] != r["test"]["loss"]);
    SUBCASE("without the setting there is no such measurement") {
        config.erase("test_batch_statistics");
        Lab plain;
        configure(plain, config);
        CHECK_FALSE(plain.step_json(20)["test"].contains("batch_statistics"));
    }
    SUBCASE("with fewer test examples than one batch there is nothing to measure: null, not 0") {
        config["test_examples"] = 3;
        Lab small;
        configure(small, config);
        const json s = small.step_json(20);
        CHECK(s["test"]["batch_statistics"]["examples"] == 0);
        CHECK(s["test"]["batch_statistics"]["accuracy"].is_null());
    }
}
