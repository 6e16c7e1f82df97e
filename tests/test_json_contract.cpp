// test_json_contract.cpp — the JSON interface: every op answers as documented, every bad input is an
// error value that names the field, and nothing throws. The page's WASM build answers through the same
// compute(), so these are its answers too.
#include <doctest/doctest.h>

#include "bnkata/batchnorm.hpp"
#include "bnkata/compute.hpp"
#include "bnkata/dispatch.hpp"
#include "bnkata/json_fields.hpp"
#include "bnkata/text.hpp"
#include "bnkata/tensor.hpp"
#include "fixtures.hpp"
#include "tensor_checker.hpp"

#include <cmath>
#include <string>
#include <vector>

using nlohmann::json;
using bnkata_test::ask;
using bnkata_test::ask_text;
using bnkata_test::flat;
using bnkata_test::numbers;

namespace {

// The fixture case's x as the learner would write it: nested per its shape.
json nested(const std::vector<double>& values, const json& shape) {
    return bnkata::tensor_to_json(values, shape.get<std::vector<std::size_t>>());
}

// CHECK that response is an error naming field, whose message contains the given words.
void check_error(const json& response, const std::string& field, const std::string& words) {
    INFO("response: " << response.dump());
    REQUIRE(response.contains("error"));
    CHECK(response["error"]["field"] == field);
    CHECK(response["error"]["message"].get<std::string>().find(words) != std::string::npos);
    CHECK(response.size() == 1);  // an error is only an error: no half-answers beside it
}

const json kSeed = {{"op", "forward_train"}, {"x", {1, 2, 3, 4}}};
const json kUpdate = {{"op", "update_running"}, {"x", {1, 2, 3, 4}}, {"running_mean", {0}}, {"running_var", {1}},
                      {"convention", "pytorch"}};

json with(json request, const std::string& field, const json& value) {
    request[field] = value;
    return request;
}
json without(json request, const std::string& field) {
    request.erase(field);
    return request;
}

}  // namespace

TEST_CASE("compute answers the seed's example: mean 2.5, variance 1.25, y = x̂ when γ = 1 and β = 0") {
    const json r = ask_text(R"({"op":"forward_train","x":[1,2,3,4]})");
    CHECK(r["batch_mean"] == json::array({2.5}));
    CHECK(r["batch_var"] == json::array({1.25}));
    CHECK_TENSOR("y", std::vector<double>({-1.341635, -0.447212, 0.447212, 1.341635}), flat(r["y"]), 5e-7);
    CHECK_FALSE(r.contains("warning"));
}

TEST_CASE("each op answers the numpy reference, and responses keep x's nesting") {
    for (const auto& c : bnkata_test::fixtures()["cases"]) {
        const std::string name = c["name"].get<std::string>();
        CAPTURE(name);
        const json x = nested(numbers(c["x"]), c["shape"]);
        const json dy = nested(numbers(c["dy"]), c["shape"]);
        const json common = {{"x", x}, {"gamma", c["gamma"]}, {"beta", c["beta"]}, {"eps", c["eps"]}};

        SUBCASE("forward_train → y, batch_mean, batch_var (biased)") {
            const json r = ask(with(common, "op", "forward_train"));
            CHECK(r["y"].size() == x.size());
            CHECK(nested(flat(r["y"]), c["shape"]) == r["y"]);  // same nesting as x
            CHECK_TENSOR(name + " y", numbers(c["y"]), flat(r["y"]), 1e-12);
            CHECK_TENSOR(name + " batch_mean", numbers(c["batch_mean"]), numbers(r["batch_mean"]), 1e-13);
            CHECK_TENSOR(name + " batch_var", numbers(c["batch_var"]), numbers(r["batch_var"]), 1e-13);
        }
        SUBCASE("forward_stages → std and the stages x, x − μ, x̂, γx̂ + β with their means and variances") {
            const json r = ask(with(common, "op", "forward_stages"));
            CHECK_TENSOR(name + " batch_mean", numbers(c["batch_mean"]), numbers(r["batch_mean"]), 1e-13);
            CHECK_TENSOR(name + " batch_var", numbers(c["batch_var"]), numbers(r["batch_var"]), 1e-13);
            CHECK_TENSOR(name + " std", numbers(c["std"]), numbers(r["std"]), 1e-13);
            REQUIRE(r["stages"].size() == c["stages"].size());
            for (std::size_t k = 0; k < c["stages"].size(); ++k) {
                const json& want = c["stages"][k];
                const json& got = r["stages"][k];
                const std::string stage = name + " " + want["name"].get<std::string>();
                CHECK(got["name"] == want["name"]);
                CHECK(nested(flat(got["values"]), c["shape"]) == got["values"]);  // same nesting as x
                CHECK_TENSOR(stage + " values", numbers(want["values"]), flat(got["values"]), 1e-12);
                CHECK_TENSOR(stage + " mean", numbers(want["mean"]), numbers(got["mean"]), 1e-12);
                CHECK_TENSOR(stage + " var", numbers(want["var"]), numbers(got["var"]), 1e-12);
            }
            // The last stage is forward_train's y, to the bit.
            CHECK(r["stages"][3]["values"] == ask(with(common, "op", "forward_train"))["y"]);
        }
        SUBCASE("forward_eval → y") {
            json req = with(common, "op", "forward_eval");
            req["running_mean"] = c["running_mean"];
            req["running_var"] = c["running_var"];
            const json r = ask(req);
            CHECK(nested(flat(r["y"]), c["shape"]) == r["y"]);
            CHECK_TENSOR(name + " y (eval)", numbers(c["y_eval"]), flat(r["y"]), 1e-12);
        }
        SUBCASE("backward → dx, dgamma, dbeta") {
            json req = with(common, "op", "backward");
            req["dy"] = dy;
            const json r = ask(req);
            CHECK(nested(flat(r["dx"]), c["shape"]) == r["dx"]);
            CHECK_TENSOR(name + " dx", numbers(c["dx"]), flat(r["dx"]), 1e-12);
            CHECK_TENSOR(name + " dgamma", numbers(c["dgamma"]), numbers(r["dgamma"]), 1e-12);
            CHECK_TENSOR(name + " dbeta", numbers(c["dbeta"]), numbers(r["dbeta"]), 1e-12);
        }
        SUBCASE("update_running → running_mean, running_var, batch_mean, batch_var") {
            for (const std::string convention : {"pytorch", "keras"}) {
                const json r = ask(json{{"op", "update_running"}, {"x", x}, {"running_mean", c["running_mean"]},
                                        {"running_var", c["running_var"]}, {"convention", convention}});
                CHECK_TENSOR(name + " " + convention + " running_mean", numbers(c[convention + "_running_mean"]),
                             numbers(r["running_mean"]), 1e-14);
                CHECK_TENSOR(name + " " + convention + " running_var", numbers(c[convention + "_running_var"]),
                             numbers(r["running_var"]), 1e-14);
                CHECK_TENSOR(name + " batch_var", numbers(c["batch_var"]), numbers(r["batch_var"]), 1e-13);
            }
        }
    }
}

TEST_CASE("forward_stages on the seed's example: the means go 2.5 → 0 → 0 → β and the variances "
          "1.25 → 1.25 → 0.999992 → γ²·0.999992") {
    // The seed's numbers (kata/seed-kata.txt), with γ = 2 and β = 0.5: σ²/(σ² + ε) = 1.25/1.25001.
    const json r = ask_text(R"({"op":"forward_stages","x":[1,2,3,4],"gamma":[2],"beta":[0.5]})");
    CHECK(r["batch_mean"] == json::array({2.5}));
    CHECK(r["batch_var"] == json::array({1.25}));
    CHECK(r["std"][0].get<double>() == doctest::Approx(1.118038460876906).epsilon(1e-14));  // √1.25001
    REQUIRE(r["stages"].size() == 4);
    const double xhat_var = 1.25 / 1.25001;  // 0.99999200006...
    const std::vector<std::string> names = {"x", "x − μ", "x̂", "γx̂ + β"};
    const std::vector<double> means = {2.5, 0, 0, 0.5}, vars = {1.25, 1.25, xhat_var, 4 * xhat_var};
    for (std::size_t k = 0; k < 4; ++k) {
        CAPTURE(names[k]);
        CHECK(r["stages"][k]["name"] == names[k]);
        CHECK(r["stages"][k]["mean"][0].get<double>() == doctest::Approx(means[k]).epsilon(1e-14).scale(1));
        CHECK(r["stages"][k]["var"][0].get<double>() == doctest::Approx(vars[k]).epsilon(1e-14));
    }
    CHECK(r["stages"][1]["values"] == json::array({-1.5, -0.5, 0.5, 1.5}));
    CHECK_TENSOR("x̂", std::vector<double>({-1.341635, -0.447212, 0.447212, 1.341635}),
                 flat(r["stages"][2]["values"]), 5e-7);
    CHECK_FALSE(r.contains("warning"));
}

TEST_CASE("forward_stages reads its fields as forward_train does: same defaults, same error values") {
    SUBCASE("defaults: gamma = ones, beta = zeros, eps = 1e-5") {
        const json x = {{1, 5}, {2, 7}, {4, 0}};
        CHECK(ask(json{{"op", "forward_stages"}, {"x", x}}) ==
              ask(json{{"op", "forward_stages"}, {"x", x}, {"gamma", {1, 1}}, {"beta", {0, 0}}, {"eps", 1e-5}}));
    }
    SUBCASE("a batch of one value per channel: x̂ = 0, y = β, and forward_train's warning") {
        const json r = ask_text(R"({"op":"forward_stages","x":[[3, -2]],"beta":[0.5, -1]})");
        CHECK(r["stages"][3]["values"] == json::parse("[[0.5, -1.0]]"));
        CHECK(r["warning"] == ask_text(R"({"op":"forward_train","x":[[3, -2]]})")["warning"]);
    }
    SUBCASE("every bad forward_train request is refused by forward_stages with the same error value") {
        const std::vector<json> bad = {
            without(kSeed, "x"), with(kSeed, "x", "1,2,3"), with(kSeed, "x", json::array()),
            with(kSeed, "x", json::parse("[[1, 2], [3]]")), with(kSeed, "x", json::parse("[1, null]")),
            with(kSeed, "x", json::parse("[[[1, 2]]]")), with(kSeed, "x", {1e308, -1e308}),
            with(kSeed, "eps", nullptr), with(kSeed, "eps", -1e-5), with(kSeed, "eps", 0),
            with(kSeed, "gamma", 1), with(kSeed, "beta", json::array()),
            json{{"op", "forward_train"}, {"x", {{1, 2}, {3, 4}}}, {"gamma", {1, 2, 3}}},
        };
        for (const json& request : bad) {
            CAPTURE(request.dump());
            const json train = ask(request);
            REQUIRE(train.contains("error"));
            CHECK(ask(with(request, "op", "forward_stages")) == train);
        }
    }
}

TEST_CASE("omitted gamma, beta, eps and momentum take their documented defaults") {
    SUBCASE("gamma = ones, beta = zeros, eps = 1e-5") {
        const json explicit_ = ask(json{{"op", "forward_train"}, {"x", {{1, 5}, {2, 7}, {4, 0}}},
                                        {"gamma", {1, 1}}, {"beta", {0, 0}}, {"eps", 1e-5}});
        const json defaults = ask(json{{"op", "forward_train"}, {"x", {{1, 5}, {2, 7}, {4, 0}}}});
        CHECK(explicit_ == defaults);
    }
    SUBCASE("momentum = the convention's: pytorch 0.1 → mean 0.25, var 1.066667; keras 0.99 → 0.025, 1.0025") {
        const json pt = ask(kUpdate);
        CHECK(pt["running_mean"][0].get<double>() == doctest::Approx(0.25).epsilon(1e-14));
        CHECK(pt["running_var"][0].get<double>() == doctest::Approx(0.9 + 0.1 * 5.0 / 3.0).epsilon(1e-14));
        const json k = ask(with(kUpdate, "convention", "keras"));
        CHECK(k["running_mean"][0].get<double>() == doctest::Approx(0.025).epsilon(1e-14));
        CHECK(k["running_var"][0].get<double>() == doctest::Approx(1.0025).epsilon(1e-14));
    }
}

TEST_CASE("a batch of one value per channel") {
    SUBCASE("forward_train answers y = β (σ² = 0) with a warning saying why") {
        const json r = ask_text(R"({"op":"forward_train","x":[[3, -2]],"beta":[0.5, -1]})");
        CHECK(r["y"] == json::parse("[[0.5, -1.0]]"));
        CHECK(r["batch_var"] == json::parse("[0.0, 0.0]"));
        REQUIRE(r.contains("warning"));
        CHECK(r["warning"].get<std::string>().find("only one value") != std::string::npos);
    }
    SUBCASE("update_running under pytorch refuses, as PyTorch does") {
        check_error(ask(with(kUpdate, "x", {5})), "x", "Expected more than 1 value per channel when training");
    }
    SUBCASE("update_running under keras accepts (it stores the biased variance, 0)") {
        const json r = ask(with(with(kUpdate, "x", {5}), "convention", "keras"));
        CHECK(r["running_var"][0].get<double>() == doctest::Approx(0.99).epsilon(1e-14));
    }
    SUBCASE("an image batch of one with H·W > 1 is not a batch of one value") {
        const json r = ask_text(R"({"op":"update_running","x":[[[[1,2],[3,4]]]],"running_mean":[0],"running_var":[1],"convention":"pytorch"})");
        CHECK_FALSE(r.contains("error"));
    }
}

TEST_CASE("every bad input is answered with an error value naming the field") {
    SUBCASE("not JSON") { check_error(ask_text("{\"op\": forward_train}"), "request", "not valid JSON"); }
    SUBCASE("empty text") { check_error(ask_text(""), "request", "not valid JSON"); }
    SUBCASE("trailing garbage") { check_error(ask_text(kSeed.dump() + " x"), "request", "not valid JSON"); }
    SUBCASE("not an object") { check_error(ask_text("[1, 2, 3]"), "request", "expected a JSON object"); }
    SUBCASE("a bare number") { check_error(ask_text("42"), "request", "expected a JSON object"); }
    SUBCASE("missing op") { check_error(ask_text(R"({"x":[1,2]})"), "op", "missing"); }
    SUBCASE("op not a string") { check_error(ask_text(R"({"op":3})"), "op", "expected a string"); }
    SUBCASE("unknown op") { check_error(ask_text(R"({"op":"forward"})"), "op", "unknown op \"forward\""); }
    SUBCASE("missing x") { check_error(ask(without(kSeed, "x")), "x", "missing"); }
    SUBCASE("missing running_mean") { check_error(ask(without(kUpdate, "running_mean")), "running_mean", "missing"); }
    SUBCASE("missing running_var for forward_eval") {
        check_error(ask_text(R"({"op":"forward_eval","x":[1,2],"running_mean":[0]})"), "running_var", "missing");
    }
    SUBCASE("missing dy") { check_error(ask(with(kSeed, "op", "backward")), "dy", "missing"); }
    SUBCASE("missing convention") { check_error(ask(without(kUpdate, "convention")), "convention", "missing"); }
    SUBCASE("x not an array") { check_error(ask(with(kSeed, "x", "1,2,3")), "x", "got a string"); }
    SUBCASE("empty array") { check_error(ask(with(kSeed, "x", json::array())), "x", "empty"); }
    SUBCASE("empty inner array") { check_error(ask(with(kSeed, "x", json::parse("[[], []]"))), "x", "empty"); }
    SUBCASE("ragged rows") { check_error(ask(with(kSeed, "x", json::parse("[[1, 2], [3]]"))), "x", "ragged: element [1]"); }
    SUBCASE("a number where a row should be") {
        check_error(ask(with(kSeed, "x", json::parse("[[1, 2], 3]"))), "x", "element [1] is a number");
    }
    SUBCASE("a row where a number should be") {
        check_error(ask(with(kSeed, "x", json::parse("[1, [2]]"))), "x", "element [1] is an array");
    }
    SUBCASE("a string among the numbers") {
        check_error(ask(with(kSeed, "x", json::parse(R"([1, "2"])"))), "x", "element [1] is a string; expected a number");
    }
    SUBCASE("null") { check_error(ask(with(kSeed, "x", json::parse("[1, null]"))), "x", "element [1] is null"); }
    SUBCASE("a boolean") { check_error(ask(with(kSeed, "x", json::parse("[true, 2]"))), "x", "element [0] is a boolean"); }
    SUBCASE("null where a number field goes") { check_error(ask(with(kSeed, "eps", nullptr)), "eps", "got null"); }
    SUBCASE("a number that overflows a double (1e999)") {
        check_error(ask_text(R"({"op":"forward_train","x":[1, 1e999]})"), "x", "overflow");
        check_error(ask_text(R"({"op":"forward_train","x":[1, 2],"eps":-1e999})"), "eps", "overflow");
    }
    SUBCASE("wrong rank") {
        check_error(ask(with(kSeed, "x", 5)), "x", "got a number");
        check_error(ask(with(kSeed, "x", json::parse("[[[1, 2]]]"))), "x", "wrong rank");
        check_error(ask(with(kSeed, "x", json::parse("[[[[[1]]]]]"))), "x", "wrong rank");
    }
    SUBCASE("gamma's length is not the number of channels") {
        check_error(ask_text(R"({"op":"forward_train","x":[[1,2],[3,4]],"gamma":[1,2,3]})"), "gamma",
                    "expected 2 values (one per channel), got 3");
    }
    SUBCASE("beta's length is not the number of channels") {
        check_error(ask(with(kSeed, "beta", json::array())), "beta", "expected 1 value (one per channel), got 0");
    }
    SUBCASE("running_mean's length is not the number of channels") {
        check_error(ask(with(kUpdate, "running_mean", {0, 0})), "running_mean", "expected 1 value");
    }
    SUBCASE("gamma is not an array") { check_error(ask(with(kSeed, "gamma", 1)), "gamma", "in an array, got a number"); }
    SUBCASE("dy's shape is not x's") {
        check_error(ask(json{{"op", "backward"}, {"x", {{1, 2}, {3, 4}}}, {"dy", {{1, 2}}}}), "dy",
                    "expected the same shape as x [2][2], got [1][2]");
    }
    SUBCASE("negative eps") { check_error(ask(with(kSeed, "eps", -1e-5)), "eps", "expected a positive number"); }
    SUBCASE("zero eps") { check_error(ask(with(kSeed, "eps", 0)), "eps", "expected a positive number"); }
    SUBCASE("negative running variance") {
        check_error(ask(with(kUpdate, "running_var", {-0.5})), "running_var", "cannot be negative");
        check_error(ask_text(R"({"op":"forward_eval","x":[1,2],"running_mean":[0],"running_var":[-1]})"), "running_var",
                    "cannot be negative");
    }
    SUBCASE("momentum outside [0, 1]") {
        check_error(ask(with(kUpdate, "momentum", 1.5)), "momentum", "expected a number in [0, 1], got 1.5");
        check_error(ask(with(kUpdate, "momentum", -0.1)), "momentum", "got -0.1");
        check_error(ask(with(kUpdate, "momentum", "0.1")), "momentum", "got a string");
    }
    SUBCASE("unknown convention") {
        check_error(ask(with(kUpdate, "convention", "tensorflow")), "convention", "unknown convention \"tensorflow\"");
        check_error(ask(with(kUpdate, "convention", 1)), "convention", "expected a string");
    }
    SUBCASE("absurd nesting depth") {
        const std::string deep = std::string(100000, '[') + std::string(100000, ']');
        check_error(ask_text(deep), "request", "nested more than 32 levels deep");
        const std::string deep_x = R"({"op":"forward_train","x":)" + std::string(40, '[') + "1" + std::string(40, ']') + "}";
        check_error(ask_text(deep_x), "x", "nested more than 32 levels deep");
    }
    SUBCASE("a tensor beyond the documented size limit (2^20 values)") {
        const json x = json::array({json(std::vector<double>(std::size_t{1} << 19, 1.0)),
                                    json(std::vector<double>(std::size_t{1} << 19, 1.0)), json::array({1.0})});
        check_error(ask(with(kSeed, "x", x)), "x", "too large: at most 1048576 values");
        // ... while exactly the limit is accepted.
        const json r = bnkata::compute(with(kSeed, "x", std::vector<double>(bnkata::kMaxTensorValues, 1.0)));
        CHECK_FALSE(r.contains("error"));
    }
    SUBCASE("request text beyond the documented size limit (32 MiB)") {
        check_error(ask_text(std::string(bnkata::kMaxRequestBytes + 1, ' ')), "request", "too large");
    }
}

TEST_CASE("compute never throws, and always answers one JSON object") {
    const std::vector<std::string> garbage = {
        "", " ", "null", "true", "\"op\"", "{", "}", "[", "{\"op\":", "{\"op\":null}", "{\"op\":\"forward_train\",\"x\":{}}",
        "{\"op\":\"forward_train\",\"x\":[1,2],\"gamma\":[null]}", "{\"op\":\"backward\",\"x\":[1,2],\"dy\":[[1],[2]]}",
        "{\"op\":\"forward_train\",\"x\":[1e308,-1e308]}", "{\"op\":\"\\u0000\"}", std::string("{\"op\":\"\xff\xfe\"}"),
        "{\"op\":\"forward_train\",\"x\":[1,2],\"eps\":1e-320}", "{\"op\":\"forward_train\",\"x\":[18446744073709551616]}",
    };
    for (const std::string& text : garbage) {
        CAPTURE(text);
        std::string answer;
        CHECK_NOTHROW(answer = bnkata::compute(text));
        const json r = json::parse(answer, nullptr, false);
        CHECK(r.is_object());
    }
}

TEST_CASE("a spread whose squares overflow a double is the overflow error, never a variance of 0") {
    // The variance of [1e154, −1e154] is 1e308, which fits; the squared deviations it is summed from
    // (4e308) do not. Every op that reports statistics refuses it as too large.
    const json x = {1e154, -1e154};
    check_error(ask(with(kSeed, "x", x)), "x", "too large");
    check_error(ask(json{{"op", "forward_stages"}, {"x", x}}), "x", "too large");
    check_error(ask(with(kUpdate, "x", x)), "x", "too large");
    check_error(ask(with(with(kUpdate, "x", x), "convention", "keras")), "x", "too large");
    check_error(ask(json{{"op", "backward"}, {"x", x}, {"dy", {1, 1}}}), "x", "too large");
    // The same spread inside an (N, C, H, W) batch, where positions are combined after the sums.
    check_error(ask(with(kSeed, "x", json::parse("[[[[1e154, 0]]], [[[-1e154, 0]]]]"))), "x", "too large");
    // ... while a wide spread whose squares fit is answered: variance 1e300 of [1e150, −1e150].
    const json r = ask(with(kSeed, "x", {1e150, -1e150}));
    REQUIRE_FALSE(r.contains("error"));
    CHECK(r["batch_var"][0].get<double>() == doctest::Approx(1e300));
}

TEST_CASE("the float path keeps an overflowing spread visible: NaN, not a variance of 0") {
    // float's squares overflow past |x − K| ≈ 1.8e19; the training lab's divergence check looks for non-finite y.
    const float x[] = {2e19f, 1.0f, -2e19f, 3.0f}, gamma[] = {1, 1}, beta[] = {0, 0};
    float y[4], mean[2], var[2], rstd[2];
    bnkata::forward_train(y, mean, var, rstd, x, gamma, beta, bnkata::Layout{2, 2, 1}, 1e-5);
    CHECK_FALSE(std::isfinite(var[0]));
    CHECK_FALSE(std::isfinite(y[0]));
    CHECK_FALSE(std::isfinite(y[2]));
    CHECK(var[1] == doctest::Approx(1.0f));  // the other channel is untouched
    double mean_d[2], var_d[2];
    bnkata::batch_statistics(mean_d, var_d, static_cast<double*>(nullptr), x, bnkata::Layout{2, 2, 1});
    CHECK_FALSE(std::isfinite(var_d[0]));
}

TEST_CASE("a request of many small values is refused while parsing, before it costs memory") {
    // 2.2 million zeros are 4.4 MB of text; parsed they would be 35 MB of values, and a 32 MiB text of
    // "[]" would be over a GiB. The count stops the parser at kMaxRequestValues.
    std::string text = R"({"op":"forward_train","x":[0)";
    text.reserve(2 * bnkata::kMaxRequestValues + 64);
    for (std::size_t i = 0; i < bnkata::kMaxRequestValues; ++i) text += ",0";
    text += "]}";
    check_error(ask_text(text), "x", "more than 2162688 JSON values");
    // x and dy at the tensor limit together still fit.
    const std::vector<double> full(bnkata::kMaxTensorValues, 1.0);
    const json r = ask(json{{"op", "backward"}, {"x", full}, {"dy", full}});
    CHECK_FALSE(r.contains("error"));
}

// n copies of unit, comma-separated, in brackets.
std::string array_of(const std::string& unit, std::size_t n) {
    std::string text = "[" + unit;
    text.reserve(n * (unit.size() + 1) + 2);
    for (std::size_t i = 1; i < n; ++i) text += "," + unit;
    return text + "]";
}

TEST_CASE("what a text's values cost to read is bounded by its size: 10 bytes per byte, at least 16 MiB") {
    // A flat array of one-digit numbers (16 bytes of values per 2 bytes of text) is read...
    const std::string flat = R"({"op":"forward_train","x":)" + array_of("0", bnkata::kMaxTensorValues) + "}";
    CHECK_FALSE(ask_text(flat).contains("error"));
    // ...one-number rows (an array each: ~80 bytes per 4 of text) only while they fit in 16 MiB...
    const std::string rows = R"({"op":"forward_train","x":)" + array_of("[0]", 100000) + "}";
    CHECK_FALSE(ask_text(rows).contains("error"));
    const std::string more_rows = R"({"op":"forward_train","x":)" + array_of("[0]", bnkata::kMaxTensorValues) + "}";
    check_error(ask_text(more_rows), "x",
                "too many small values for the text's size: reading them would take more than " +
                    std::to_string(10 * more_rows.size()) + " bytes of memory (10 per byte of text");
    // ...and neither do empty arrays, empty strings, nesting for its own sake, or many short keys.
    check_error(ask_text(array_of("[]", 2 << 20)), "request", "too many small values");
    check_error(ask_text(R"({"op":)" + array_of(R"("")", 2 << 20) + "}"), "op", "too many small values");
    check_error(ask_text(array_of(std::string(30, '[') + "0" + std::string(30, ']'), 100000)), "request",
                "too many small values");
    std::string keys = R"({"op":"forward_train","x":{"k0":{})";
    for (int i = 1; i < (1 << 20); ++i) keys += ",\"k" + std::to_string(i) + "\":{}";
    check_error(ask_text(keys + "}}"), "x", "too many small values");
}

TEST_CASE("a request is read into the same value nlohmann's own parser makes") {
    // The reader builds its own values (each array allocated once at its final size); duplicate keys keep
    // the last value, numbers keep their kind, strings their escapes.
    for (const char* text : {R"({"op":"forward_train","x":[[1,2],[3,4.5]],"eps":1e-5,"op":"backward"})",
                             R"([[], {}, [[[]]], {"a": {"b": [true, false, null]}}, "\u00e9\n", -0, 18446744073709551615, -9223372036854775808])",
                             R"("just a string")", "3.25", "null", R"({"k":[1,{"k":[2,{"k":[3]}]}],"k":0})"}) {
        json read;
        REQUIRE_FALSE(bnkata::parse_json_text(text, read));
        CHECK(read == json::parse(text));
        CHECK(read.dump() == json::parse(text).dump());
    }
}

TEST_CASE("answers are written so that they cannot throw, and quotes are cut on character boundaries") {
    CHECK(bnkata::to_text(json(std::string("caf\xc3"))) == "\"caf\xef\xbf\xbd\"");  // U+FFFD for a cut é
    const std::string accents = "xéééééé";  // 1 + 6 × 2 bytes
    CHECK(bnkata::shorten(accents, 4) == "xé…");  // not "xé\xc3"
    CHECK(bnkata::shorten(accents, 5) == "xéé…");
    CHECK(bnkata::shorten(accents, 13) == accents);
}

TEST_CASE("op_names lists the five Batch Normalization ops") {
    const auto names = bnkata::op_names();
    for (const char* op : {"forward_train", "forward_stages", "forward_eval", "backward", "update_running"})
        CHECK(std::find(names.begin(), names.end(), op) != names.end());
}
