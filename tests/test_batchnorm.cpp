// test_batchnorm.cpp — the kernels against the kata's claims (filled in below).
#include <doctest/doctest.h>

#include "bnkata/batchnorm.hpp"

#include <cmath>

TEST_CASE("the seed's example normalises [1, 2, 3, 4] to mean 0 and variance 1.25/1.25001") {
    // Hand derivation: μ = 2.5, σ² = (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25, x̂₀ = −1.5/√1.25001.
    const double x[4] = {1, 2, 3, 4}, gamma[1] = {1}, beta[1] = {0};
    double y[4], mean[1], var[1], rstd[1];
    bnkata::forward_train(y, mean, var, rstd, x, gamma, beta, bnkata::Layout{4, 1, 1}, 1e-5);
    CHECK(mean[0] == 2.5);
    CHECK(var[0] == 1.25);
    CHECK(std::fabs(y[0] - (-1.5 / std::sqrt(1.25001))) < 1e-15);
}
