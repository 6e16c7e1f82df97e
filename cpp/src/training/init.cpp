// init.cpp — seeded Gaussian initialisation (see the header).
#include "bnkata/training/init.hpp"

namespace bnkata::training {

template <typename Real>
void init_gaussian(Real* w, std::size_t n, double std, Rng& rng) {
    // Drawn in double, rounded once: float and double nets from one seed differ only by that rounding.
    for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<Real>(std * rng.normal());
}

template void init_gaussian<float>(float*, std::size_t, double, Rng&);
template void init_gaussian<double>(double*, std::size_t, double, Rng&);

}  // namespace bnkata::training
