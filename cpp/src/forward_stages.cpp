// forward_stages.cpp — forward_train with its intermediate stages kept (forward_stages.hpp).
#include "bnkata/forward_stages.hpp"

#include <cmath>

namespace bnkata {

namespace {

ForwardStage stage(const char* name, std::vector<double> values, Layout L) {
    ForwardStage s{name, std::move(values), std::vector<double>(L.C), std::vector<double>(L.C)};
    // The mean and variance of a stage are measured, not derived (mean(x − μ) = 0 is what the kata
    // asks the learner to verify, so it must not be assumed here).
    batch_statistics(s.mean.data(), s.var.data(), static_cast<double*>(nullptr), s.values.data(), L);
    return s;
}

}  // namespace

ForwardStages forward_stages(const double* x, const double* gamma, const double* beta, Layout L, double eps) {
    ForwardStages out;
    out.batch_mean.resize(L.C);
    out.batch_var.resize(L.C);
    out.std_dev.resize(L.C);

    // The kernel itself gives μ_B, σ²_B, 1/√(σ²_B + ε) and y, so the last stage is its y to the bit.
    std::vector<double> y(L.size()), rstd(L.C);
    forward_train(y.data(), out.batch_mean.data(), out.batch_var.data(), rstd.data(), x, gamma, beta, L, eps);
    for (std::size_t c = 0; c < L.C; ++c) out.std_dev[c] = std::sqrt(out.batch_var[c] + eps);

    // The two stages the kernel fuses away, per value of channel c = (i / HW) mod C.
    std::vector<double> centred(L.size()), xhat(L.size());
    for (std::size_t i = 0; i < L.size(); ++i) {
        const std::size_t c = (i / L.HW) % L.C;
        centred[i] = x[i] - out.batch_mean[c];
        xhat[i] = centred[i] * rstd[c];  // forward_train's (x − μ)·(γ·rstd) + β with γ = 1, β = 0
    }

    out.stages.push_back(stage("x", std::vector<double>(x, x + L.size()), L));
    out.stages.push_back(stage("x − μ", std::move(centred), L));
    out.stages.push_back(stage("x̂", std::move(xhat), L));
    out.stages.push_back(stage("γx̂ + β", std::move(y), L));
    return out;
}

}  // namespace bnkata
