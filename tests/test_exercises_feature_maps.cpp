// Step 1 beyond one neuron (step1_feature_maps.cpp): batch norm of feature maps and group norm's
// statistics, graded against answers recomputed here from each exercise's data with the plain textbook
// definitions — never with the engine's or the core's code — and every named mistake diagnosed.
#include <doctest/doctest.h>

#include <cmath>
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


// The values of x[n][c][h][w] for which keep(n, c) holds.
template <typename Keep>
Vec values_where(const json& x, Keep keep) {
    Vec out;
    for (std::size_t n = 0; n < x.size(); ++n)
        for (std::size_t c = 0; c < x[n].size(); ++c)
            if (keep(n, c))
                for (const json& row : x[n][c])
                    for (const json& v : row) out.push_back(v.get<double>());
    return out;
}

const std::uint64_t kFeatureMapSeeds = 40;

}  // namespace

TEST_CASE("s1-conv-stats: per channel μ and σ² over N·H·W values, and each wrong set of axes named") {
    for (std::uint64_t seed = 0; seed < kFeatureMapSeeds; ++seed) {
        CAPTURE(seed);
        const json x = exercise("s1-conv-stats", seed)["data"]["x"];
        REQUIRE(x.size() == 2);        // N
        REQUIRE(x[0].size() == 2);     // C
        REQUIRE(x[0][0].size() == 2);  // H
        Vec right_mean, right_var, instance_mean, instance_var, over_n_var;
        for (std::size_t c = 0; c < 2; ++c) {
            const Vec channel = values_where(x, [c](std::size_t, std::size_t k) { return k == c; });
            REQUIRE(channel.size() == 8);
            right_mean.push_back(mean_of(channel));
            right_var.push_back(biased_var_of(channel));
            const Vec map = values_where(x, [c](std::size_t n, std::size_t k) { return n == 0 && k == c; });
            instance_mean.push_back(mean_of(map));
            instance_var.push_back(biased_var_of(map));
            double v = 0;  // each position's variance over the two examples, averaged over the positions
            for (std::size_t h = 0; h < 2; ++h)
                for (std::size_t w = 0; w < 2; ++w)
                    v += biased_var_of({x[0][c][h][w].get<double>(), x[1][c][h][w].get<double>()}) / 4;
            over_n_var.push_back(v);
        }
        const Vec example = values_where(x, [](std::size_t n, std::size_t) { return n == 0; });
        const double layer_mean = mean_of(example), layer_var = biased_var_of(example);

        CHECK(grade("s1-conv-stats", seed, {{"mean", right_mean}, {"var", right_var}})["verdict"] == "correct");
        CHECK(mistake_of(grade("s1-conv-stats", seed, {{"mean", right_mean}, {"var", over_n_var}})) == "stats_over_n_only");
        CHECK(mistake_of(grade("s1-conv-stats", seed, {{"mean", instance_mean}, {"var", instance_var}})) ==
              "instance_norm_axes");
        CHECK(mistake_of(grade("s1-conv-stats", seed, {{"mean", {layer_mean, layer_mean}}, {"var", {layer_var, layer_var}}})) ==
              "layer_norm_axes");
        const Vec unbiased = {right_var[0] * 8 / 7, right_var[1] * 8 / 7};
        CHECK(mistake_of(grade("s1-conv-stats", seed, {{"mean", right_mean}, {"var", unbiased}})) == "unbiased_variance");
    }
    SUBCASE("garbage names the field") {
        const json g = grade("s1-conv-stats", 7, {{"mean", {1, "two"}}, {"var", {1, 1}}});
        CHECK(g["verdict"] == "invalid");
    }
}

TEST_CASE("s1-group-stats: one example's group of C/G channels, every position; mistakes named") {
    for (std::uint64_t seed = 0; seed < kFeatureMapSeeds; ++seed) {
        CAPTURE(seed);
        const json data = exercise("s1-group-stats", seed)["data"];
        const json& x = data["x"];
        const std::size_t G = data["groups"], n = data["example"].get<std::size_t>() - 1,
                          g = data["group"].get<std::size_t>() - 1;
        const std::size_t per_group = 6 / G;
        auto in_group = [&](std::size_t c) { return c / per_group == g; };
        const Vec group = values_where(x, [&](std::size_t k, std::size_t c) { return k == n && in_group(c); });
        REQUIRE(group.size() == per_group * 2);
        const Vec example = values_where(x, [&](std::size_t k, std::size_t) { return k == n; });
        const Vec first_channel = values_where(x, [&](std::size_t, std::size_t c) { return c == g * per_group; });
        const double m = static_cast<double>(group.size());

        CHECK(grade("s1-group-stats", seed, {{"mean", mean_of(group)}, {"var", biased_var_of(group)}})["verdict"] == "correct");
        CHECK(mistake_of(grade("s1-group-stats", seed, {{"mean", mean_of(example)}, {"var", biased_var_of(example)}})) == "layer_norm_axes");
        CHECK(mistake_of(grade("s1-group-stats", seed, {{"mean", mean_of(first_channel)}, {"var", biased_var_of(first_channel)}})) ==
              "group_across_batch");
        CHECK(mistake_of(grade("s1-group-stats", seed, {{"mean", mean_of(group)}, {"var", biased_var_of(group) * m / (m - 1)}})) ==
              "unbiased_variance");
    }
}

TEST_CASE("s1-which-norm: statistics within one example is the reason; every option explained") {
    const json right = grade("s1-which-norm", 7, {{"choice", "a"}});
    CHECK(right["verdict"] == "correct");
    CHECK(right["options"].size() == 4);
    for (const char* wrong : {"b", "c", "d"}) CHECK(grade("s1-which-norm", 7, {{"choice", wrong}})["verdict"] == "incorrect");
    CHECK(grade("s1-which-norm", 7, {{"choice", "e"}})["verdict"] == "invalid");
}
