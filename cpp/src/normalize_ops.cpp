// normalize_ops.cpp — the normalization family's JSON ops: read and check every field, call a kernel, lay
// the answer out like x (normalize_ops.hpp).
#include "bnkata/normalize_ops.hpp"

#include "bnkata/bn_ops.hpp"
#include "bnkata/json_fields.hpp"
#include "bnkata/normalize.hpp"
#include "bnkata/tensor.hpp"

#include <cmath>
#include <string>
#include <vector>

namespace bnkata {

using nlohmann::json;

namespace {

const char* const kKinds = "\"batch\", \"layer\", \"instance\" or \"group\"";

// The fields both ops read.
struct NormInputs {
    Tensor x;
    Norm norm;
    std::vector<double> gamma, beta;
    double eps = kDefaultEps;
};

Problem read_kind(const json& request, NormKind& kind) {
    std::string name;
    if (Problem problem = read_string(request, "kind", name)) {
        problem->message += std::string(" (") + kKinds + ")";
        return problem;
    }
    const std::optional<NormKind> known = kind_from_name(name);
    if (!known) return FieldError{"kind", "unknown kind \"" + name + "\"; expected " + kKinds};
    kind = *known;
    return std::nullopt;
}

// "1, 2 or 4" for C = 4: the values groups may take.
std::string divisors_of(std::size_t C) {
    std::vector<std::size_t> divisors;
    for (std::size_t d = 1; d <= C; ++d)
        if (C % d == 0) divisors.push_back(d);
    std::string text;
    for (std::size_t i = 0; i < divisors.size(); ++i)
        text += (i == 0 ? "" : i + 1 == divisors.size() ? " or " : ", ") + std::to_string(divisors[i]);
    return text;
}

// groups: required for the group kind, a whole number that divides C; any other kind fixes its own G.
Problem read_groups(const json& request, std::size_t C, Norm& norm) {
    if (norm.kind != NormKind::group) {
        if (find_field(request, "groups"))
            return FieldError{"groups", std::string("only the \"group\" kind takes groups (\"") + kind_name(norm.kind) +
                                            "\" fixes its own: layer is group norm with 1 group, instance with one "
                                            "group per channel); remove it or use \"kind\":\"group\""};
        return std::nullopt;
    }
    double groups = 0;
    if (Problem problem = read_number(request, "groups", groups)) {
        problem->message += "; the number of groups must divide C = " + std::to_string(C) + " (" + divisors_of(C) + ")";
        return problem;
    }
    if (!(groups >= 1 && groups <= static_cast<double>(C) && groups == std::floor(groups)) ||
        C % static_cast<std::size_t>(groups) != 0)
        return FieldError{"groups", "expected a number of groups that divides C = " + std::to_string(C) + " (" +
                                        divisors_of(C) + "), got " + format_number(groups)};
    norm.groups = static_cast<std::size_t>(groups);
    return std::nullopt;
}

Problem read_norm_inputs(const json& request, NormInputs& in) {
    if (Problem problem = read_kind(request, in.norm.kind)) return problem;
    if (Problem problem = read_tensor(request, "x", in.x)) return problem;
    if (in.x.shape.size() == 1)
        return FieldError{"x", "expected [N][C] or [N][C][H][W], got " + describe_shape(in.x.shape) +
                                   ": which axis holds the examples and which the channels decides what each kind "
                                   "normalises over (for one feature, write [[x1],[x2],...])"};
    const std::size_t C = in.x.layout.C;
    if (Problem problem = read_groups(request, C, in.norm)) return problem;
    if (Problem problem = read_per_channel(request, "gamma", C, in.gamma, 1.0)) return problem;
    if (Problem problem = read_per_channel(request, "beta", C, in.beta, 0.0)) return problem;
    return read_eps(request, in.eps);
}

// The statistics as the contract lays them out: [C] for batch, [N][G] for the others.
json statistics_to_json(const std::vector<double>& values, const NormInputs& in) {
    if (in.norm.kind == NormKind::batch) return values;
    return tensor_to_json(values, {in.x.layout.N, in.norm.groups_in(in.x.layout)});
}

}  // namespace

json op_normalize(const json& request) {
    NormInputs in;
    if (Problem problem = read_norm_inputs(request, in)) return error_response(*problem);
    const Layout L = in.x.layout;

    const std::size_t S = in.norm.statistics_count(L);
    std::vector<double> y(L.size()), mean(S), var(S), rstd(S);
    normalize_forward(y.data(), mean.data(), var.data(), rstd.data(), in.x.values.data(), in.gamma.data(),
                      in.beta.data(), L, in.norm, in.eps);
    if (!all_finite(y) || !all_finite(var)) return error_response(kOverflow);

    json response = {{"y", tensor_to_json(y, in.x.shape)},
                     {"mean", statistics_to_json(mean, in)},
                     {"var", statistics_to_json(var, in)}};
    if (in.norm.values_per_statistic(L) == 1)
        response["warning"] = std::string("each ") + (in.norm.kind == NormKind::batch ? "channel" : "group") +
                              " has only one value here, so its variance is 0, x̂ = 0 and y = β";
    return response;
}

json op_normalize_backward(const json& request) {
    NormInputs in;
    if (Problem problem = read_norm_inputs(request, in)) return error_response(*problem);
    const Layout L = in.x.layout;
    Tensor dy;
    if (Problem problem = read_dy(request, in.x, dy)) return error_response(*problem);

    // Forward first, for the mean and rstd that backward reuses.
    const std::size_t S = in.norm.statistics_count(L);
    std::vector<double> y(L.size()), mean(S), var(S), rstd(S);
    normalize_forward(y.data(), mean.data(), var.data(), rstd.data(), in.x.values.data(), in.gamma.data(),
                      in.beta.data(), L, in.norm, in.eps);
    std::vector<double> dx(L.size()), dgamma(L.C), dbeta(L.C);
    normalize_backward(dx.data(), dgamma.data(), dbeta.data(), dy.values.data(), in.x.values.data(), mean.data(),
                       rstd.data(), in.gamma.data(), L, in.norm);
    if (!all_finite(var) || !all_finite(y) || !all_finite(dx) || !all_finite(dgamma) || !all_finite(dbeta))
        return error_response(kOverflow);
    return json{{"dx", tensor_to_json(dx, in.x.shape)}, {"dgamma", dgamma}, {"dbeta", dbeta}};
}

const OpTable& normalize_ops() {
    static const OpTable table = {
        {"normalize", op_normalize},
        {"normalize_backward", op_normalize_backward},
    };
    return table;
}

}  // namespace bnkata
