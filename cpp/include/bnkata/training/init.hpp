// init.hpp — seeded Gaussian initialisation of the weights.
#pragma once

#include <cstddef>

#include "bnkata/training/random.hpp"

namespace bnkata::training {

// Writes w[i] = std·ξᵢ, ξᵢ ~ N(0, 1) drawn in order from rng. Mutates w and rng.
// The networks draw their weight matrices layer by layer, in order, and nothing else, from one
// Stream::weights generator: a net with BN and one without, built from one seed, therefore start from
// the same weight matrices (biases start at 0, γ at 1, β at 0).
template <typename Real>
void init_gaussian(Real* w, std::size_t n, double std, Rng& rng);

}  // namespace bnkata::training
