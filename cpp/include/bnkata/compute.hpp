// compute.hpp — one request in, one response out: the single entry point the CLI and the page share.
//
// A request is a JSON object with an "op" naming what to do; the other fields are that op's (bn_ops.hpp
// for the Batch Normalization ops). The response is the op's result or {"error":{"field","message"}}.
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

// Answers a parsed request: dispatches on request["op"].
nlohmann::json compute(const nlohmann::json& request);

// Parses request text, then answers it. Text that is not JSON, too long, nested too deeply or holding a
// number that overflows a double (1e999) is answered with an error naming the problem.
nlohmann::json compute_text(const std::string& request_text);

// compute_text, serialised: the form that crosses the WASM boundary.
std::string compute(const std::string& request_text);

// The names of the ops compute() answers, in table order.
std::vector<std::string> op_names();

}  // namespace bnkata
