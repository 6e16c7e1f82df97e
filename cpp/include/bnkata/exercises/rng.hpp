// rng.hpp — the exercises' random numbers: seeded, deterministic, and identical on every platform.
//
// Every exercise is drawn from (exercise id, seed). An instructor who quotes a seed must see the learner's
// numbers, natively and in the browser alike, so the generator uses integer arithmetic only:
// std::uniform_*_distribution is avoided (each standard library maps bits to values its own way), and so
// are log/cos (libm results differ in the last bit between glibc and Emscripten's musl).
#pragma once

#include <cstdint>
#include <string_view>

#include "bnkata/rng.hpp"

namespace bnkata::exercises {

// The exercises' draws, built on SplitMix64 (bnkata/rng.hpp).
class Rng {
public:
    // Mixes the exercise id into the seed, so that two exercises drawn with one seed still differ.
    Rng(std::string_view exercise_id, std::uint64_t seed);

    // The next 64 random bits. Mutates the state.
    std::uint64_t next();

    // A uniformly drawn integer in [lo, hi] (rejection sampling, so no modulo bias). Requires lo ≤ hi.
    long long integer(long long lo, long long hi);

    // A double in [0, 1): 53 random bits times 2^−53, exact on every platform.
    double unit();

    // A double in [lo, hi): lo + (hi − lo)·unit(), the same IEEE operations everywhere.
    double uniform(double lo, double hi);

    // −1 or +1 with equal probability.
    int sign();

private:
    SplitMix64 bits_;
};

}  // namespace bnkata::exercises
