// probes.cpp — the loss-landscape probe (see the header for the definitions).
#include "bnkata/training/probes.hpp"

#include <algorithm>
#include <cmath>

namespace bnkata::training {

namespace {
// Copies every parameter's value (or gradient) into one flat vector, in parameters() order, or back.
template <typename Real>
void gather(std::vector<Real>& flat, const std::vector<Parameter<Real>*>& params, bool gradients) {
    std::size_t at = 0;
    for (const Parameter<Real>* p : params) {
        const std::vector<Real>& src = gradients ? p->grad : p->value;
        std::copy(src.begin(), src.end(), flat.begin() + static_cast<std::ptrdiff_t>(at));
        at += src.size();
    }
}
template <typename Real>
void scatter(const std::vector<Real>& flat, const std::vector<Parameter<Real>*>& params, bool gradients) {
    std::size_t at = 0;
    for (Parameter<Real>* p : params) {
        std::vector<Real>& dst = gradients ? p->grad : p->value;
        std::copy(flat.begin() + static_cast<std::ptrdiff_t>(at), flat.begin() + static_cast<std::ptrdiff_t>(at + dst.size()),
                  dst.begin());
        at += dst.size();
    }
}
}  // namespace

template <typename Real>
ProbeResult probe_along_gradient(Network<Real>& net, Workspace<Real>& ws, std::vector<Real>& dlogits,
                                 const Real* x, const int32_t* labels, const std::vector<double>& etas,
                                 std::vector<Real>& w0, std::vector<Real>& g0) {
    const std::vector<Parameter<Real>*> params = net.parameters();
    const std::size_t P = net.parameter_count();
    w0.resize(P);
    g0.resize(P);
    ProbeResult r;
    r.etas = etas;
    // g = ∇L(w; B), with the batch's own statistics and the running statistics left alone.
    gather(w0, params, false);
    r.loss = net.loss_and_gradient(ws, dlogits, x, labels, BnMode::train_frozen);
    gather(g0, params, true);
    double g_squares = 0;
    for (std::size_t i = 0; i < P; ++i) g_squares += static_cast<double>(g0[i]) * g0[i];
    r.gradient_norm = std::sqrt(g_squares);

    r.loss_min = r.loss_max = r.loss;
    bool any_difference = false;
    for (const double eta : etas) {
        // Move to w − ηg (computed in double, rounded once), then measure loss and gradient there.
        std::size_t at = 0;
        for (Parameter<Real>* p : params)
            for (Real& v : p->value) {
                v = static_cast<Real>(static_cast<double>(w0[at]) - eta * static_cast<double>(g0[at]));
                ++at;
            }
        const double loss = net.loss_and_gradient(ws, dlogits, x, labels, BnMode::train_frozen);
        double d_squares = 0;
        at = 0;
        for (const Parameter<Real>* p : params)
            for (const Real gi : p->grad) {
                const double d = static_cast<double>(gi) - g0[at++];
                d_squares += d * d;
            }
        const double difference = std::sqrt(d_squares);
        r.losses.push_back(loss);
        r.gradient_differences.push_back(difference);
        if (std::isfinite(loss)) {
            r.loss_min = std::min(r.loss_min, loss);
            r.loss_max = std::max(r.loss_max, loss);
        }
        if (std::isfinite(difference)) {
            r.predictiveness_min = any_difference ? std::min(r.predictiveness_min, difference) : difference;
            r.predictiveness_max = any_difference ? std::max(r.predictiveness_max, difference) : difference;
            any_difference = true;
            const double distance = std::fabs(eta) * r.gradient_norm;  // ‖ηg‖
            if (distance > 0) r.beta_smoothness = std::max(r.beta_smoothness, difference / distance);
        }
    }
    // Leave the network as we found it.
    scatter(w0, params, false);
    scatter(g0, params, true);
    return r;
}

template ProbeResult probe_along_gradient<float>(Network<float>&, Workspace<float>&, std::vector<float>&, const float*,
                                                 const int32_t*, const std::vector<double>&, std::vector<float>&,
                                                 std::vector<float>&);
template ProbeResult probe_along_gradient<double>(Network<double>&, Workspace<double>&, std::vector<double>&,
                                                  const double*, const int32_t*, const std::vector<double>&,
                                                  std::vector<double>&, std::vector<double>&);

}  // namespace bnkata::training
