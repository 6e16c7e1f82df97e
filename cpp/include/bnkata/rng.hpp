// rng.hpp — SplitMix64, the one random bit source of the project.
//
// SplitMix64 (Steele, Lea & Flood 2014): a 64-bit counter advanced by the golden-ratio increment and passed
// through an invertible mixer. It passes BigCrush, needs integer arithmetic only and so gives the same bits
// on every platform — natively and in WebAssembly alike. The exercises (exercises::Rng) and the training lab
// (training::Rng) each derive a start state their own way and build their draws on these bits.
#pragma once

#include <cstdint>

namespace bnkata {

class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t state) : state_(state) {}

    // The finaliser alone: a bijection of 64-bit words that spreads every input bit over the output.
    static std::uint64_t mix(std::uint64_t z) {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    // The golden-ratio increment, 2^64/φ rounded to odd.
    static constexpr std::uint64_t kGamma = 0x9e3779b97f4a7c15ULL;

    // The next 64 random bits. Mutates the state.
    std::uint64_t next() {
        state_ += kGamma;
        return mix(state_);
    }

private:
    std::uint64_t state_;
};

}  // namespace bnkata
