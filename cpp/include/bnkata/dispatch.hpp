// dispatch.hpp — request text → JSON → the handler its "op" names → response, over a table of ops.
//
// The one dispatcher behind every entry point: `bnkata compute` and the exercises' WASM module answer
// every op (compute.hpp), the page's first-visit WASM module only the Batch Normalization ops
// (bn_ops.hpp, batchnorm_ops()). A table is a list of rows {name, handler}; each area owns its rows.
// Nothing here throws, whatever the input.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace bnkata {

// Limits on request text (documented in the README's JSON contract).
constexpr std::size_t kMaxRequestBytes = std::size_t{32} << 20;  // 32 MiB of JSON text
constexpr int kMaxNestingDepth = 32;                              // arrays and objects inside each other

// One op the JSON interface answers: the name a request's "op" field gives, and the function that
// answers it (the whole request in; the result or an error value out).
struct Op {
    const char* name;
    nlohmann::json (*handler)(const nlohmann::json& request);
};
using OpTable = std::vector<Op>;

// Answers a parsed request with the row its "op" names.
nlohmann::json dispatch(const nlohmann::json& request, const OpTable& ops);

// Parses request text, then answers it. Text that is not JSON, too long, nested too deeply or holding a
// number that overflows a double (1e999) is answered with an error naming the problem.
nlohmann::json dispatch_text(const std::string& request_text, const OpTable& ops);

// dispatch_text, serialised: the form that crosses the WASM boundary.
std::string dispatch_string(const std::string& request_text, const OpTable& ops);

}  // namespace bnkata
