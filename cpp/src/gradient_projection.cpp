// gradient_projection.cpp — the backward pass's projection and scaling, with their norms
// (gradient_projection.hpp).
#include "bnkata/gradient_projection.hpp"

#include <cmath>
#include <vector>

#include "bnkata/batchnorm.hpp"
#include "bnkata/bn_ops.hpp"
#include "bnkata/json_fields.hpp"
#include "bnkata/tensor.hpp"

namespace bnkata {

using nlohmann::json;

namespace {

double dot(const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
}

}  // namespace

json op_gradient_projection(const json& request) {
    Tensor x, dy;
    if (Problem problem = read_tensor(request, "x", x)) return error_response(*problem);
    if (x.shape.size() != 1) return error_response({"x", "expected one feature's values [m], got " + describe_shape(x.shape)});
    if (Problem problem = read_tensor(request, "dy", dy)) return error_response(*problem);
    if (dy.shape != x.shape)
        return error_response({"dy", "expected the same shape as x " + describe_shape(x.shape) + ", got " + describe_shape(dy.shape)});
    double gamma = 1, eps = kDefaultEps;
    if (Problem problem = read_number(request, "gamma", gamma, 1.0)) return error_response(*problem);
    if (Problem problem = read_number(request, "eps", eps, kDefaultEps)) return error_response(*problem);
    if (!(eps > 0)) return error_response({"eps", "expected a positive number, got " + format_number(eps)});

    const Layout L = x.layout;  // (m, 1, 1)
    const std::vector<double>& delta = dy.values;
    const double beta = 0;
    std::vector<double> y(L.size());
    double mean = 0, var = 0, rstd = 0;
    forward_train(y.data(), &mean, &var, &rstd, x.values.data(), &gamma, &beta, L, eps);

    // P δ: δ's mean removed, then its component along x̂ (the paths through μ_B and σ²_B).
    const double m = static_cast<double>(L.size());
    std::vector<double> xhat(L.size()), centred(L.size()), projected(L.size());
    double sum_delta = 0;
    for (std::size_t i = 0; i < L.size(); ++i) {
        xhat[i] = (x.values[i] - mean) * rstd;
        sum_delta += delta[i];
    }
    const double delta_xhat = dot(delta, xhat);
    for (std::size_t i = 0; i < L.size(); ++i) {
        centred[i] = delta[i] - sum_delta / m;
        projected[i] = centred[i] - xhat[i] * delta_xhat / m;
    }

    // ∂ℓ/∂x from the kernel itself: the figure shows the gradient the lesson's backward computes.
    std::vector<double> dx(L.size());
    double dgamma = 0, dbeta = 0;
    backward(dx.data(), &dgamma, &dbeta, delta.data(), x.values.data(), &mean, &rstd, &gamma, L);

    const double bound = gamma * gamma * rstd * rstd * (dot(delta, delta) - sum_delta * sum_delta / m - delta_xhat * delta_xhat / m);
    if (!std::isfinite(var) || !all_finite(dx) || !all_finite(projected) || !std::isfinite(bound))
        return error_response({"x", "the values are too large: the result overflows a double"});
    return json{{"xhat", xhat},
                {"centred", centred},
                {"projected", projected},
                {"dx", dx},
                {"scale", gamma * rstd},
                {"norms",
                 {{"dy", std::sqrt(dot(delta, delta))},
                  {"centred", std::sqrt(dot(centred, centred))},
                  {"projected", std::sqrt(dot(projected, projected))},
                  {"dx", std::sqrt(dot(dx, dx))}}},
                {"bound", bound},
                {"dx_norm_squared", dot(dx, dx)}};
}

}  // namespace bnkata
