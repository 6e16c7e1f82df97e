// reference.cpp — thin adapters from the exercises' 1-D batches to the core's (N, C, HW) kernels.
#include "bnkata/exercises/reference.hpp"

#include "bnkata/forward_stages.hpp"

namespace bnkata::exercises {

namespace {
// A 1-D batch of one feature is (N = m, C = 1, HW = 1).
Layout one_feature(const Vec& x) { return Layout{x.size(), 1, 1}; }
}  // namespace

Statistics statistics(const Vec& x) {
    Statistics s;
    batch_statistics<double>(&s.mean, &s.var, &s.var_unbiased, x.data(), one_feature(x));
    return s;
}

Forward forward(const Vec& x, double gamma, double beta, double eps) {
    Forward f;
    f.y.assign(x.size(), 0.0);
    double rstd = 0;
    forward_train<double>(f.y.data(), &f.mean, &f.var, &rstd, x.data(), &gamma, &beta, one_feature(x), eps);
    return f;
}

std::vector<Stage> forward_stages(const Vec& x, double gamma, double beta, double eps) {
    std::vector<Stage> stages;
    for (ForwardStage& s : bnkata::forward_stages(x.data(), &gamma, &beta, one_feature(x), eps).stages)
        stages.push_back(Stage{s.name, std::move(s.values), s.mean[0], s.var[0]});
    return stages;
}

Vec forward_eval(const Vec& x, double gamma, double beta, double running_mean, double running_var, double eps) {
    Vec y(x.size(), 0.0);
    bnkata::forward_eval<double>(y.data(), x.data(), &gamma, &beta, &running_mean, &running_var, one_feature(x), eps);
    return y;
}

Running running_after(const std::vector<Vec>& batches, Running start, double momentum, Convention convention) {
    Running r = start;
    for (const Vec& batch : batches) {
        const Statistics s = statistics(batch);
        update_running(&r.mean, &r.var, &s.mean, &s.var, 1, batch.size(), momentum, convention);
    }
    return r;
}

Backward backward(const Vec& dy, const Vec& x, double gamma, double eps) {
    // The forward pass caches μ_B and 1/√(σ²_B + ε); backward needs only those (and recomputes x̂).
    double mean = 0, var = 0, rstd = 0;
    const double beta = 0;
    Vec y(x.size());
    forward_train<double>(y.data(), &mean, &var, &rstd, x.data(), &gamma, &beta, one_feature(x), eps);
    Backward b;
    b.dx.assign(x.size(), 0.0);
    bnkata::backward<double>(b.dx.data(), &b.dgamma, &b.dbeta, dy.data(), x.data(), &mean, &rstd, &gamma, one_feature(x));
    return b;
}

}  // namespace bnkata::exercises
