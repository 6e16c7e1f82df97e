// The draw_batch op: a figure's seeded batch from N(mean, sd²). One seed and purpose give one batch;
// another seed or purpose another; the draws have the distribution they claim; bad fields are named.
// (That the page's module gives the same bits as this build: tests/node/wasm-vs-native.test.mjs.)
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "bnkata/compute.hpp"

using nlohmann::json;
using Vec = std::vector<double>;

namespace {
json draw(json request) {
    request["op"] = "draw_batch";
    return bnkata::compute(request);
}
Vec values(const json& response) {
    REQUIRE_MESSAGE(!response.contains("error"), response.dump());
    return response["values"].get<Vec>();
}
std::string field_of(const json& response) {
    REQUIRE_MESSAGE(response.contains("error"), response.dump());
    return response["error"]["field"].get<std::string>();
}
}  // namespace

TEST_CASE("one seed and purpose give one batch; a smaller batch is the same draws' beginning") {
    const json request = {{"seed", 7}, {"purpose", "normalize"}, {"size", 6}, {"mean", 5}, {"sd", 2}};
    const Vec first = values(draw(request));
    CHECK(first.size() == 6);
    CHECK(values(draw(request)) == first);
    json shorter = request;
    shorter["size"] = 3;
    CHECK(values(draw(shorter)) == Vec(first.begin(), first.begin() + 3));
}

TEST_CASE("another seed or another purpose gives another batch") {
    const Vec base = values(draw({{"seed", 7}, {"purpose", "normalize"}, {"size", 8}}));
    const Vec seed = values(draw({{"seed", 8}, {"purpose", "normalize"}, {"size", 8}}));
    const Vec purpose = values(draw({{"seed", 7}, {"purpose", "sigmoid-range"}, {"size", 8}}));
    for (std::size_t i = 0; i < base.size(); ++i) {
        CAPTURE(i);
        CHECK(base[i] != seed[i]);
        CHECK(base[i] != purpose[i]);
    }
}

TEST_CASE("4,096 draws from N(3, 2.5²) have the mean, spread and one-sigma share of that Gaussian") {
    const double mean = 3, sd = 2.5;
    const Vec x = values(draw({{"seed", 20150211}, {"purpose", "check"}, {"size", 4096}, {"mean", mean}, {"sd", sd}}));
    const double n = static_cast<double>(x.size());
    double sum = 0, within = 0;
    for (double v : x) {
        sum += v;
        if (std::fabs(v - mean) <= sd) within += 1;
    }
    const double m = sum / n;
    double squares = 0;
    for (double v : x) squares += (v - m) * (v - m);
    const double var = squares / (n - 1);
    // Sampling error: the mean's sd is sd/√n = 0.039, the variance's sd²·√(2/(n−1)) = 0.138, the share's
    // √(0.683·0.317/n) = 0.0073; each bound is over four of those.
    CHECK(std::fabs(m - mean) < 0.16);
    CHECK(std::fabs(var - sd * sd) < 0.6);
    CHECK(std::fabs(within / n - 0.6827) < 0.03);
}

TEST_CASE("decimals rounds each draw to that many places; sd 0 gives the mean itself") {
    for (double v : values(draw({{"seed", 1}, {"purpose", "normalize"}, {"size", 50}, {"mean", 5}, {"sd", 2}, {"decimals", 2}}))) {
        CAPTURE(v);
        CHECK(std::fabs(v * 100 - std::round(v * 100)) < 1e-6);
    }
    CHECK(values(draw({{"seed", 1}, {"purpose", "p"}, {"size", 3}, {"mean", -1.5}, {"sd", 0}})) == Vec{-1.5, -1.5, -1.5});
}

TEST_CASE("a bad field is named, with what was expected") {
    const json good = {{"seed", 1}, {"purpose", "normalize"}, {"size", 4}};
    const auto with = [&](const char* name, json value) {
        json request = good;
        if (value.is_null()) request.erase(name);
        else request[name] = value;
        return draw(request);
    };
    CHECK(field_of(with("seed", nullptr)) == "seed");
    CHECK(field_of(with("seed", -1)) == "seed");
    CHECK(field_of(with("seed", 1.5)) == "seed");
    CHECK(field_of(with("seed", 9007199254740992.0)) == "seed");
    CHECK(field_of(with("purpose", nullptr)) == "purpose");
    CHECK(field_of(with("purpose", "")) == "purpose");
    CHECK(field_of(with("purpose", std::string(65, 'a'))) == "purpose");
    CHECK(field_of(with("size", 0)) == "size");
    CHECK(field_of(with("size", 4097)) == "size");
    CHECK(field_of(with("size", "six")) == "size");
    CHECK(field_of(with("sd", -1)) == "sd");
    CHECK(field_of(with("decimals", 16)) == "decimals");
    CHECK(field_of(with("mean", "five")) == "mean");
    json huge = good;
    huge["mean"] = 1e308;
    huge["sd"] = 1e308;
    const json overflow = draw(huge);
    CHECK(field_of(overflow) == "sd");
    CHECK(overflow["error"]["message"].get<std::string>().find("overflow") != std::string::npos);
}
