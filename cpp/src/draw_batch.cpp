// draw_batch.cpp — a figure's seeded batch from N(mean, sd²) (draw_batch.hpp).
#include "bnkata/draw_batch.hpp"

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bnkata/bn_ops.hpp"
#include "bnkata/json_fields.hpp"
#include "bnkata/portable_math.hpp"
#include "bnkata/rng.hpp"

namespace bnkata {

using nlohmann::json;

namespace {

constexpr double kMaxSeed = 9007199254740991.0;  // 2^53 − 1: every integer up to it is exact in JavaScript

// Reads request[name] as a whole number in [lo, hi] (1 and 1.0 alike); absent → fallback if there is one.
Problem read_whole_number(const json& request, const char* name, double lo, double hi, double& out,
                          std::optional<double> fallback = std::nullopt) {
    if (Problem problem = read_number(request, name, out, fallback)) return problem;
    if (!(std::floor(out) == out && out >= lo && out <= hi))
        return FieldError{name, "expected a whole number from " + format_number(lo) + " to " + format_number(hi) +
                                    ", got " + format_number(out)};
    return std::nullopt;
}

// A double in [0, 1): 53 random bits times 2^−53, exact on every platform.
double unit(SplitMix64& bits) { return static_cast<double>(bits.next() >> 11) * 0x1.0p-53; }

// Marsaglia's polar method: a point (u, v) uniform in the unit disc, s = u² + v², gives two independent
// standard Gaussians u·√(−2 ln s / s) and v·√(−2 ln s / s). Only log (portable) and sqrt (IEEE) are needed.
void two_gaussians(SplitMix64& bits, double& first, double& second) {
    double u, v, s;
    do {
        u = 2.0 * unit(bits) - 1.0;
        v = 2.0 * unit(bits) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double factor = std::sqrt(-2.0 * log_f64(s) / s);
    first = u * factor;
    second = v * factor;
}

// x rounded half away from zero to `decimals` places; 10^decimals is exact for decimals ≤ 22.
double round_to(double x, int decimals) {
    double scale = 1;
    for (int i = 0; i < decimals; ++i) scale *= 10;
    const double rounded = std::round(x * scale) / scale;
    return rounded == 0 ? 0.0 : rounded;  // no "-0" in a batch a learner reads
}

}  // namespace

json op_draw_batch(const json& request) {
    double seed = 0, size = 0, mean = 0, sd = 1, decimals = -1;
    std::string purpose;
    if (Problem problem = read_whole_number(request, "seed", 0, kMaxSeed, seed)) return error_response(*problem);
    if (Problem problem = read_string(request, "purpose", purpose)) return error_response(*problem);
    if (purpose.empty() || purpose.size() > static_cast<std::size_t>(kMaxPurposeLength))
        return error_response({"purpose", "expected a name of 1 to " + std::to_string(kMaxPurposeLength) +
                                              " characters (the figure that draws), got " + std::to_string(purpose.size())});
    if (Problem problem = read_whole_number(request, "size", 1, kMaxDrawSize, size)) return error_response(*problem);
    if (Problem problem = read_number(request, "mean", mean, 0.0)) return error_response(*problem);
    if (Problem problem = read_number(request, "sd", sd, 1.0)) return error_response(*problem);
    if (!(sd >= 0)) return error_response({"sd", "expected a standard deviation ≥ 0, got " + format_number(sd)});
    if (find_field(request, "decimals") != nullptr) {
        if (Problem problem = read_whole_number(request, "decimals", 0, kMaxDrawDecimals, decimals)) return error_response(*problem);
    }

    SplitMix64 bits(fnv1a(purpose) ^ (static_cast<std::uint64_t>(seed) * SplitMix64::kGamma));
    const std::size_t n = static_cast<std::size_t>(size);
    std::vector<double> values;
    values.reserve(n);
    while (values.size() < n) {
        double first, second;
        two_gaussians(bits, first, second);
        values.push_back(mean + sd * first);
        if (values.size() < n) values.push_back(mean + sd * second);
    }
    if (decimals >= 0)
        for (double& value : values) value = round_to(value, static_cast<int>(decimals));
    if (!all_finite(values)) return error_response({"sd", "the draws overflow a double: mean ± several sd must stay below 1.8e308"});
    return json{{"values", values}};
}

}  // namespace bnkata
