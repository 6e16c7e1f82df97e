// synthetic_data.hpp — small seeded 2-D classification sets for quick runs: spiral, circles, blobs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace bnkata::training {

enum class SyntheticKind { spiral, circles, blobs };

// A labelled data set: x (count, features) row-major, labels (count).
struct Dataset {
    std::size_t count = 0, features = 0;
    std::vector<float> x;
    std::vector<int32_t> labels;
};

// Makes `count` points in 2-D with labels in [0, classes), drawn from Rng(seed, Stream::data) — same
// seed, same points, natively and in WASM (portable sin/cos/log). Examples are interleaved by class
// (label = i mod classes) so that any prefix is balanced. `noise` is the std of Gaussian noise:
//   spiral:  class k is an arm r = t, angle = 4t + 2πk/classes + noise·ξ, t ∈ [0, 1) (cs231n's spiral)
//   circles: two classes, radius 1 (label 0) and 0.5 (label 1), plus noise·ξ on each coordinate
//   blobs:   Gaussian blobs of std 0.5 + noise around `classes` centres on a circle of radius 2
// `salt` separates the training set from the test set drawn with the same seed.
Dataset make_synthetic(SyntheticKind kind, std::size_t count, std::size_t classes, double noise, uint64_t seed,
                       uint64_t salt);

}  // namespace bnkata::training
