// rng.hpp — SplitMix64, the one random bit source of the project.
//
// SplitMix64 (Steele, Lea & Flood 2014): a 64-bit counter advanced by the golden-ratio increment and passed
// through an invertible mixer. It passes BigCrush, needs integer arithmetic only and so gives the same bits
// on every platform — natively and in WebAssembly alike. The exercises (exercises::Rng), the training lab
// (training::Rng) and the figures' batches (draw_batch.hpp) each derive a start state their own way and
// build their draws on these bits.
#pragma once

#include <cstdint>
#include <string_view>

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

// FNV-1a over a name's bytes: a stable, platform-independent hash (std::hash is neither). The exercises
// and the figures' draws mix a name into the seed with it, so that one seed gives each its own numbers.
inline std::uint64_t fnv1a(std::string_view text) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

}  // namespace bnkata
