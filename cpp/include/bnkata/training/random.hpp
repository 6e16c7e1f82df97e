// random.hpp — a small, portable, seeded random number generator.
//
// Not std::mt19937 + std::normal_distribution: the distributions are implementation-defined, so libstdc++
// (native) and libc++ (Emscripten) would draw different weights from one seed. Here every number is a
// function of (seed, stream) alone, computed with integer arithmetic and the portable log of
// portable_math.hpp, so a seed gives the same bits natively and in the browser.
#pragma once

#include <cstddef>
#include <cstdint>

#include "bnkata/rng.hpp"

namespace bnkata::training {

// Independent streams drawn from one seed: the weights and the batch order must not share a stream, so
// that the with-BN and without-BN nets (different parameter counts) still see the same batches.
enum class Stream : uint64_t { weights = 1, batch_order = 2, data = 3 };

// The lab's draws, built on SplitMix64 (bnkata/rng.hpp).
class Rng {
public:
    Rng(uint64_t seed, Stream stream);

    uint64_t next_u64();                 // uniform on [0, 2^64)
    double uniform();                    // uniform on [0, 1), 53 random bits
    std::size_t below(std::size_t n);    // uniform on {0, …, n−1} (n ≥ 1; modulo bias < n/2^64)
    double normal();                     // standard Gaussian, Marsaglia's polar method

private:
    SplitMix64 bits_;
    double spare_ = 0;       // the polar method makes two Gaussians at a time
    bool has_spare_ = false;
};

// Fisher–Yates shuffle of index[0..n) in place, drawing from rng.
void shuffle(uint32_t* index, std::size_t n, Rng& rng);

}  // namespace bnkata::training
