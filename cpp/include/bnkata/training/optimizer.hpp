// optimizer.hpp — stochastic gradient descent, with optional (heavy-ball) momentum.
#pragma once

#include <cstddef>

namespace bnkata::training {

// One SGD step on n parameters, in place:
//   momentum = 0:  w ← w − η·g
//   momentum = μ:  v ← μ·v − η·g,  w ← w + v    (v starts at 0; the classic heavy-ball form)
// Mutates w and (when momentum ≠ 0) v.
template <typename Real>
void sgd_step(Real* w, Real* v, const Real* g, std::size_t n, double learning_rate, double momentum);

}  // namespace bnkata::training
