// compute.cpp — every op the JSON interface answers, in one table (compute.hpp).
#include "bnkata/compute.hpp"

#include "bnkata/bn_ops.hpp"
#include "bnkata/exercises/ops.hpp"

namespace bnkata {

using nlohmann::json;

const OpTable& all_ops() {
    static const OpTable table = [] {
        OpTable ops = batchnorm_ops();
        const OpTable& exercise_rows = exercises::exercise_ops();
        ops.insert(ops.end(), exercise_rows.begin(), exercise_rows.end());
        return ops;
    }();
    return table;
}

std::vector<std::string> op_names() {
    std::vector<std::string> names;
    for (const Op& op : all_ops()) names.emplace_back(op.name);
    return names;
}

json compute(const json& request) { return dispatch(request, all_ops()); }

json compute_text(const std::string& request_text) { return dispatch_text(request_text, all_ops()); }

std::string compute(const std::string& request_text) { return dispatch_string(request_text, all_ops()); }

}  // namespace bnkata
