// layers.hpp — the pieces of one hidden layer: nonlinearities, a dense-layout Batch Normalization, and
// the dense layer that combines them with a weight matrix.
//
// Shapes, declared once for the whole training engine:
//   N  batch rows     I  a layer's inputs     O  its outputs (units)
//   x (N,I), z = x·W + b (N,O), W (I,O) row-major, b (O); per-unit vectors (O).
// A hidden layer, by BN placement (Ioffe & Szegedy put BN before the nonlinearity):
//   none:   z = x·W + b,  u = z,      a = f(u)
//   before: z = x·W,      u = BN(z),  a = f(u)     — the bias is dropped: BN subtracts it right away
//                                                     (it is kept only for the Ioffe §2 experiment)
//   after:  z = x·W + b,  u = z,      h = f(u), a = BN(h)
// u, the nonlinearity's input, is what the lab's percentile plot watches.
// "BN" here is the layer's normalization: batch norm, or, per example, layer norm or group norm (the
// core's normalize family, normalize.hpp). Only batch norm makes the bias before it redundant (it
// subtracts each unit's batch mean); layer and group norm subtract one mean per example and group, which
// a per-unit bias does not cancel, so before them the bias stays.
#pragma once

#include <cstddef>
#include <vector>

#include "bnkata/batchnorm.hpp"
#include "bnkata/normalize.hpp"

namespace bnkata::training {

enum class Activation { sigmoid, tanh, relu };
enum class BnPlacement { none, before, after };

// Writes a = f(u) element-wise for n values. Mutates only a.
template <typename Real>
void activation_forward(Real* a, const Real* u, std::size_t n, Activation f);

// Writes du = da · f'(u) for n values, with f' computed from the output a = f(u):
// sigmoid a(1 − a), tanh 1 − a², ReLU [a > 0]. Mutates only du.
template <typename Real>
void activation_backward(Real* du, const Real* da, const Real* a, std::size_t n, Activation f);

// What BN's training-mode forward keeps for backward and for the running statistics, per unit (O).
template <typename Real>
struct BnCache {
    std::vector<Real> mean_r, var_r, rstd;  // this batch's mean, biased variance and 1/√(var + ε)
    std::vector<double> mean, var;          // the same mean and variance in double, for the running stats
    bnkata::BnScratch<Real> scratch;        // the core kernels' working arrays, kept between steps
    void resize(std::size_t O);
};

// Training-mode BN on a dense (N,O) batch: the core's bnkata::forward_train with Layout{N, O, 1}.
// Writes y (N,O) and the cache. Mutates y and cache.
template <typename Real>
void bn_forward_train(Real* y, BnCache<Real>& cache, const Real* x, const Real* gamma, const Real* beta,
                      std::size_t N, std::size_t O, double eps);

// Inference-mode BN with the running statistics (double): y = (x − rm)·γ/√(rv + ε) + β. Mutates y.
template <typename Real>
void bn_forward_eval(Real* y, const Real* x, const Real* gamma, const Real* beta, const double* running_mean,
                     const double* running_var, std::size_t N, std::size_t O, double eps,
                     std::vector<double>& scratch_scale);

// Backward of bn_forward_train. Writes dx (N,O), dgamma and dbeta (O) from dy and the cache.
//   through_stats = true:  dx = γ·r·(dy − dβ/N − x̂·dγ/N)  — the exact gradient: the core's bnkata::backward;
//                          Σₙ dx = 0, so a bias before BN gets no gradient at all.
//   through_stats = false: dx = γ·r·dy — treats μ_B and σ²_B as constants (Ioffe & Szegedy §2's "ignored
//                          dependence"); then Σₙ dx = γ·r·dβ ≠ 0, so a bias before BN keeps moving
//                          although moving it cannot change the output.
// Mutates dx, dgamma and dbeta.
template <typename Real>
void bn_backward(Real* dx, Real* dgamma, Real* dbeta, const Real* dy, const Real* x, BnCache<Real>& cache,
                 const Real* gamma, std::size_t N, std::size_t O, bool through_stats);

// ---------------------------------------------------------------------------------------------------
// Layer norm and group norm on a dense (N,O) batch: the core's group-norm kernels with Layout{N, O, 1}
// (normalize.hpp). Each example's O units fall into G groups of O/G consecutive units (G = 1: layer norm);
// each group is normalised by its own mean and biased variance, then y = γ_o·x̂ + β_o with γ and β per
// unit. No statistic crosses examples, so training and inference compute the same thing and there are no
// running statistics.

// What the forward pass keeps for backward, per example and group (N·G).
template <typename Real>
struct GroupNormCache {
    std::vector<Real> mean, rstd;
    void resize(std::size_t N, std::size_t G);
};

// Writes y (N,O) and the cache. Requires G to divide O. Mutates y and cache.
template <typename Real>
void group_norm_layer_forward(Real* y, GroupNormCache<Real>& cache, const Real* x, const Real* gamma,
                              const Real* beta, std::size_t N, std::size_t O, std::size_t G, double eps);

// Backward of group_norm_layer_forward: dx = r·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) per group, dγ, dβ per unit
// (the derivation is in normalize.cpp). Mutates dx, dgamma and dbeta.
template <typename Real>
void group_norm_layer_backward(Real* dx, Real* dgamma, Real* dbeta, const Real* dy, const Real* x,
                               const GroupNormCache<Real>& cache, const Real* gamma, std::size_t N, std::size_t O,
                               std::size_t G);

}  // namespace bnkata::training
