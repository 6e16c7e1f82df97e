// bn_ops.cpp — the JSON ops: read and check every field, call a kernel, lay the answer out like x.
#include "bnkata/bn_ops.hpp"

#include "bnkata/batchnorm.hpp"
#include "bnkata/draw_batch.hpp"
#include "bnkata/forward_stages.hpp"
#include "bnkata/gradient_projection.hpp"
#include "bnkata/json_fields.hpp"
#include "bnkata/normalize_ops.hpp"
#include "bnkata/tensor.hpp"

#include <cmath>
#include <vector>

namespace bnkata {

using nlohmann::json;

// The helpers every normalising op shares (bn_ops.hpp).
Problem read_eps(const json& request, double& eps) {
    if (Problem problem = read_number(request, "eps", eps, kDefaultEps)) return problem;
    if (!(eps > 0))
        return FieldError{"eps", "expected a positive number (ε keeps 1/√(σ² + ε) finite), got " + format_number(eps)};
    return std::nullopt;
}

// Finite inputs can still overflow on the way (x = [1e308, −1e308] has a variance of 1e616; for
// x = [1e154, −1e154] the variance, 1e308, fits but the squares it is summed from do not). JSON has no
// infinity, so such an answer would silently print as null: refuse it instead. The kernels keep an
// overflow visible as inf or NaN in the variance and in y (batchnorm.cpp), never as 0.
bool all_finite(const std::vector<double>& values) {
    for (double v : values)
        if (!std::isfinite(v)) return false;
    return true;
}

const FieldError kOverflow{"x", "the values are too large: the result, or the squares of their spread, overflow a double"};

Problem read_dy(const json& request, const Tensor& x, Tensor& dy) {
    if (Problem problem = read_tensor(request, "dy", dy)) return problem;
    if (dy.shape != x.shape)
        return FieldError{"dy", "expected the same shape as x " + describe_shape(x.shape) + ", got " + describe_shape(dy.shape)};
    return std::nullopt;
}

namespace {

// The fields every op starts from: x, and the affine parameters gamma (default ones) and beta (zeros).
struct Inputs {
    Tensor x;
    std::vector<double> gamma, beta;
    double eps = kDefaultEps;
};

Problem read_x_gamma_beta_eps(const json& request, Inputs& in) {
    if (Problem problem = read_tensor(request, "x", in.x)) return problem;
    const std::size_t C = in.x.layout.C;
    if (Problem problem = read_per_channel(request, "gamma", C, in.gamma, 1.0)) return problem;
    if (Problem problem = read_per_channel(request, "beta", C, in.beta, 0.0)) return problem;
    return read_eps(request, in.eps);
}

const char* const kOneValueWarning =
    "each channel has only one value in this batch, so its variance is 0, x̂ = 0 and y = β; PyTorch refuses "
    "this in training mode (\"Expected more than 1 value per channel when training\")";

}  // namespace

json op_forward_train(const json& request) {
    Inputs in;
    if (Problem problem = read_x_gamma_beta_eps(request, in)) return error_response(*problem);
    const Layout L = in.x.layout;

    std::vector<double> y(L.size()), mean(L.C), var(L.C), rstd(L.C);
    forward_train(y.data(), mean.data(), var.data(), rstd.data(), in.x.values.data(), in.gamma.data(),
                  in.beta.data(), L, in.eps);
    if (!all_finite(y) || !all_finite(var)) return error_response(kOverflow);

    json response = {{"y", tensor_to_json(y, in.x.shape)}, {"batch_mean", mean}, {"batch_var", var}};
    if (L.count() == 1) response["warning"] = kOneValueWarning;
    return response;
}

json op_forward_stages(const json& request) {
    Inputs in;
    if (Problem problem = read_x_gamma_beta_eps(request, in)) return error_response(*problem);
    const Layout L = in.x.layout;

    const ForwardStages s = forward_stages(in.x.values.data(), in.gamma.data(), in.beta.data(), L, in.eps);
    json stages = json::array();
    for (const ForwardStage& stage : s.stages) {
        if (!all_finite(stage.values) || !all_finite(stage.var)) return error_response(kOverflow);
        stages.push_back({{"name", stage.name},
                          {"values", tensor_to_json(stage.values, in.x.shape)},
                          {"mean", stage.mean},
                          {"var", stage.var}});
    }
    if (!all_finite(s.batch_var) || !all_finite(s.std_dev)) return error_response(kOverflow);

    json response = {{"batch_mean", s.batch_mean}, {"batch_var", s.batch_var}, {"std", s.std_dev},
                     {"stages", stages}};
    if (L.count() == 1) response["warning"] = kOneValueWarning;
    return response;
}

json op_forward_eval(const json& request) {
    Inputs in;
    if (Problem problem = read_x_gamma_beta_eps(request, in)) return error_response(*problem);
    const Layout L = in.x.layout;
    std::vector<double> running_mean, running_var;
    if (Problem problem = read_per_channel(request, "running_mean", L.C, running_mean))
        return error_response(*problem);
    if (Problem problem = read_per_channel(request, "running_var", L.C, running_var, std::nullopt,
                                              PerChannelValues::non_negative))
        return error_response(*problem);

    std::vector<double> y(L.size());
    forward_eval(y.data(), in.x.values.data(), in.gamma.data(), in.beta.data(), running_mean.data(),
                 running_var.data(), L, in.eps);
    if (!all_finite(y)) return error_response(kOverflow);
    return json{{"y", tensor_to_json(y, in.x.shape)}};
}

json op_backward(const json& request) {
    Inputs in;
    if (Problem problem = read_x_gamma_beta_eps(request, in)) return error_response(*problem);
    const Layout L = in.x.layout;
    Tensor dy;
    if (Problem problem = read_dy(request, in.x, dy)) return error_response(*problem);

    // Forward first, for the mean and rstd that backward reuses.
    std::vector<double> y(L.size()), mean(L.C), rstd(L.C);
    forward_train(y.data(), mean.data(), static_cast<double*>(nullptr), rstd.data(), in.x.values.data(),
                  in.gamma.data(), in.beta.data(), L, in.eps);
    std::vector<double> dx(L.size()), dgamma(L.C), dbeta(L.C);
    backward(dx.data(), dgamma.data(), dbeta.data(), dy.values.data(), in.x.values.data(), mean.data(), rstd.data(),
             in.gamma.data(), L);
    if (!all_finite(y) || !all_finite(dx) || !all_finite(dgamma) || !all_finite(dbeta))
        return error_response(kOverflow);
    return json{{"dx", tensor_to_json(dx, in.x.shape)}, {"dgamma", dgamma}, {"dbeta", dbeta}};
}

json op_update_running(const json& request) {
    Tensor x;
    if (Problem problem = read_tensor(request, "x", x)) return error_response(*problem);
    const Layout L = x.layout;
    std::vector<double> running_mean, running_var;
    if (Problem problem = read_per_channel(request, "running_mean", L.C, running_mean))
        return error_response(*problem);
    if (Problem problem = read_per_channel(request, "running_var", L.C, running_var, std::nullopt,
                                              PerChannelValues::non_negative))
        return error_response(*problem);

    std::string name;
    if (Problem problem = read_string(request, "convention", name)) {
        problem->message += " (\"pytorch\" or \"keras\")";
        return error_response(*problem);
    }
    Convention convention;
    if (name == "pytorch") convention = Convention::pytorch;
    else if (name == "keras") convention = Convention::keras;
    else return error_response({"convention", "unknown convention \"" + name + "\"; expected \"pytorch\" or \"keras\""});

    double momentum = 0;
    if (Problem problem = read_number(request, "momentum", momentum, convention_info(convention).default_momentum))
        return error_response(*problem);
    if (!(momentum >= 0 && momentum <= 1))
        return error_response({"momentum", "expected a number in [0, 1], got " + format_number(momentum)});

    if (convention == Convention::pytorch && L.count() < 2)
        return error_response({"x", "Expected more than 1 value per channel when training (PyTorch): the "
                                    "unbiased variance it stores divides by m − 1 = 0"});

    std::vector<double> batch_mean(L.C), batch_var(L.C);
    batch_statistics(batch_mean.data(), batch_var.data(), static_cast<double*>(nullptr), x.values.data(), L);
    update_running(running_mean.data(), running_var.data(), batch_mean.data(), batch_var.data(), L.C, L.count(),
                   momentum, convention);
    if (!all_finite(running_mean) || !all_finite(running_var) || !all_finite(batch_var))
        return error_response(kOverflow);
    return json{{"running_mean", running_mean},
                {"running_var", running_var},
                {"batch_mean", batch_mean},
                {"batch_var", batch_var}};
}

// The Batch Normalization rows of the op table, then the normalization family's, then the figures' seeded
// draws: all the page's first-visit module answers.
const OpTable& batchnorm_ops() {
    static const OpTable table = [] {
        OpTable ops = {
            {"forward_train", op_forward_train},
            {"forward_stages", op_forward_stages},
            {"forward_eval", op_forward_eval},
            {"backward", op_backward},
            {"update_running", op_update_running},
            {"gradient_projection", op_gradient_projection},  // gradient_projection.hpp: step 3's figure
        };
        const OpTable& family = normalize_ops();
        ops.insert(ops.end(), family.begin(), family.end());
        ops.push_back({"draw_batch", op_draw_batch});  // draw_batch.hpp: the figures' random batches
        return ops;
    }();
    return table;
}

}  // namespace bnkata
