// optimizer.cpp — SGD (see the header). Element-wise, so it vectorises and keeps the same bits everywhere.
#include "bnkata/training/optimizer.hpp"

namespace bnkata::training {

template <typename Real>
void sgd_step(Real* w, Real* v, const Real* g, std::size_t n, double learning_rate, double momentum) {
    const Real eta = static_cast<Real>(learning_rate);
    if (momentum == 0.0) {
        for (std::size_t i = 0; i < n; ++i) w[i] -= eta * g[i];
        return;
    }
    const Real mu = static_cast<Real>(momentum);
    for (std::size_t i = 0; i < n; ++i) {
        v[i] = mu * v[i] - eta * g[i];
        w[i] += v[i];
    }
}

template void sgd_step<float>(float*, float*, const float*, std::size_t, double, double);
template void sgd_step<double>(double*, double*, const double*, std::size_t, double, double);

}  // namespace bnkata::training
