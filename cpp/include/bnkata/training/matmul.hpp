// matmul.hpp — the three matrix products of a dense layer, written for speed and reproducibility.
//
// Shapes (row-major): N batch rows, K inputs, M outputs.
//   forward:   out (N,M) = A (N,K) · B (K,M) + bias (M)     — z = x·W + b, and dX = dZ·Wᵀ with B = Wᵀ
//   weights:   dB  (K,M) = Aᵀ (K,N) · dOut (N,M)            — dW = xᵀ·dZ
//   transpose: out (C,R) = in (R,C)ᵀ                          — Wᵀ for dX, so that every inner loop is
//                                                              contiguous and no product is a dot product
// How they are fast: each output tile lives in registers while the shared index (k or n) runs; SIMD
// comes from GCC/Clang vector extensions, i.e. SSE natively and SIMD128 in WASM (-msimd128) — the same
// code, 128 bits wide on both. Dense A (sigmoid/tanh activations) gets tiles two rows high, so each
// loaded vector of B feeds two rows; sparse A (pixels, ReLU) gets one-row tiles over the terms at which
// that row of A is non-zero (MNIST pixels are ~80 % zeros): adding 0·b would not change the sum unless b
// is inf/NaN, which the divergence check reports anyway. Each term is prepared once per row (A's value and
// the offset of B's row), so the tiles do no index arithmetic; the dense tiles walk A and B by pointer
// steps. The weight gradient finds every column's non-zeros in one contiguous pass over A (a counting
// sort) instead of striding down each column.
// How they are reproducible: every output is bias (or 0) plus the products in increasing k (or n) order,
// one IEEE multiply and one add each. No reassociation, no FMA: the same bits natively and in WASM.
// The kernels allocate nothing per call (scratch term lists grow once and are reused).
#pragma once

#include <cstddef>

namespace bnkata::training {

// Whether A may hold many exact zeros (input pixels, ReLU outputs and their gradients). Finding them
// costs a scan of A; for A without zeros (sigmoid and tanh activations) the scan is skipped and the
// denser tiles are used. Either way every output sums the same products in the same order.
enum class Zeros { skip, none_expected };

// Writes out (N,M) = A (N,K)·B (K,M) + bias (M); bias may be nullptr (then 0). Mutates only out.
template <typename Real>
void matmul_forward(Real* out, const Real* A, const Real* B, const Real* bias, std::size_t N,
                    std::size_t K, std::size_t M, Zeros zeros = Zeros::skip);

// Writes dB (K,M) = Aᵀ·dOut where A is (N,K) and dOut is (N,M) (overwrites dB). Mutates only dB.
template <typename Real>
void matmul_weight_grad(Real* dB, const Real* A, const Real* dOut, std::size_t N, std::size_t K,
                        std::size_t M, Zeros zeros = Zeros::skip);

// Writes out (C,R) = inᵀ for in (R,C). Mutates only out.
template <typename Real>
void transpose(Real* out, const Real* in, std::size_t R, std::size_t C);

}  // namespace bnkata::training
