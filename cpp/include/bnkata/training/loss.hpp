// loss.hpp — softmax cross-entropy, the loss every lab network is trained on.
#pragma once

#include <cstddef>
#include <cstdint>

namespace bnkata::training {

// For logits (N,M) and labels (N) in [0, M): p = softmax(logits) row by row, and
//   loss = (1/N)·Σₙ −log p[n, label n] = (1/N)·Σₙ (log Σⱼ e^{zⱼ − max z} + max z − z_label)
// (subtracting the row maximum keeps every e^{…} ≤ 1: no overflow). Returns the loss (accumulated in
// double). If dlogits is not nullptr, writes dlogits (N,M) = (p − onehot(label))/N, the gradient of that
// mean. If correct is not nullptr, adds the number of rows whose largest logit is the label.
// Mutates only dlogits and *correct.
template <typename Real>
double softmax_cross_entropy(Real* dlogits, std::size_t* correct, const Real* logits, const int32_t* labels,
                             std::size_t N, std::size_t M);

}  // namespace bnkata::training
