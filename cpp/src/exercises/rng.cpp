// rng.cpp — the few ways the exercises draw from it (see rng.hpp for why only integers).
#include "bnkata/exercises/rng.hpp"

namespace bnkata::exercises {

Rng::Rng(std::string_view exercise_id, std::uint64_t seed)
    : bits_(fnv1a(exercise_id) ^ (seed * SplitMix64::kGamma)) {}

std::uint64_t Rng::next() { return bits_.next(); }

long long Rng::integer(long long lo, long long hi) {
    const std::uint64_t span = static_cast<std::uint64_t>(hi - lo) + 1;  // 0 means the full 2^64 range
    if (span == 0) return static_cast<long long>(next());
    // Reject the top sliver of draws that would make some remainders more likely than others.
    const std::uint64_t limit = UINT64_MAX - (UINT64_MAX % span);
    std::uint64_t draw = next();
    while (draw >= limit) draw = next();
    return lo + static_cast<long long>(draw % span);
}

double Rng::unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double Rng::uniform(double lo, double hi) { return lo + (hi - lo) * unit(); }

int Rng::sign() { return (next() >> 63) ? 1 : -1; }

}  // namespace bnkata::exercises
