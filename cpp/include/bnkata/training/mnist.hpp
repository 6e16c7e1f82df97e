// mnist.hpp — the lab's MNIST asset: its byte layout and how its pixels become inputs.
//
// The asset (dist/mnist.js, inflated; made by scripts/build-mnist.mjs) is 10,000 digits of 28×28 = 784
// uint8 pixels, then their 10,000 uint8 labels. The first 8,000 digits train, the last 2,000 test.
// Pixels enter the network scaled to [0, 1] by one float division, v / 255, on every platform.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "bnkata/json_fields.hpp"
#include "bnkata/training/synthetic_data.hpp"

namespace bnkata::training::mnist {

constexpr std::size_t kDigits = 10000;  // in the asset
constexpr std::size_t kTrain = 8000;    // the first kTrain digits; the rest test
constexpr std::size_t kPixels = 784;    // 28 × 28, row-major
constexpr std::size_t kBytes = kDigits * kPixels + kDigits;

// A pixel 0..255 as a network input in [0, 1].
inline float scale_pixel(std::uint8_t value) { return static_cast<float>(value) / 255.0f; }

// Splits the asset's bytes into the train and test sets, pixels scaled. Returns the problem (field
// "mnist") when the size is not kBytes.
Problem datasets_from_bytes(const std::uint8_t* bytes, std::size_t size, std::shared_ptr<Dataset>& train,
                            std::shared_ptr<Dataset>& test);

}  // namespace bnkata::training::mnist
