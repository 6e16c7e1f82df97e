// random.cpp — the lab's uniform, Gaussian and shuffle draws on SplitMix64 (see the header for why).
#include "bnkata/training/random.hpp"

#include <cmath>

#include "bnkata/portable_math.hpp"

namespace bnkata::training {

// The stream number is hashed into the start state, so streams of one seed are unrelated sequences.
Rng::Rng(uint64_t seed, Stream stream)
    : bits_(SplitMix64::mix(seed * SplitMix64::kGamma + SplitMix64::mix(static_cast<uint64_t>(stream)))) {}

uint64_t Rng::next_u64() { return bits_.next(); }

double Rng::uniform() { return static_cast<double>(next_u64() >> 11) * (1.0 / 9007199254740992.0); }

std::size_t Rng::below(std::size_t n) { return static_cast<std::size_t>(next_u64() % n); }

// Polar method: a point (u, v) uniform in the unit disc gives two independent Gaussians
// u·√(−2 ln s / s) and v·√(−2 ln s / s), s = u² + v². Needs only log and sqrt (both portable).
double Rng::normal() {
    if (has_spare_) {
        has_spare_ = false;
        return spare_;
    }
    double u, v, s;
    do {
        u = 2.0 * uniform() - 1.0;
        v = 2.0 * uniform() - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double factor = std::sqrt(-2.0 * log_f64(s) / s);
    spare_ = v * factor;
    has_spare_ = true;
    return u * factor;
}

void shuffle(uint32_t* index, std::size_t n, Rng& rng) {
    for (std::size_t i = n; i > 1; --i) {
        const std::size_t j = rng.below(i);
        const uint32_t t = index[i - 1];
        index[i - 1] = index[j];
        index[j] = t;
    }
}

}  // namespace bnkata::training
