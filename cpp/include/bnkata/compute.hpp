// compute.hpp — one request in, one response out: the single entry point the CLI and the page share.
//
// A request is a JSON object with an "op" naming what to do; the other fields are that op's (bn_ops.hpp
// for the Batch Normalization ops, exercises/ for the exercises). The response is the op's result or
// {"error":{"field","message"}}. Nothing here throws, whatever the input.
//
// compute() answers every op: `bnkata compute` and the exercises' WASM module (bnkata-exercises.js) use
// it. The page's first-visit module (bnkata-core.js) answers only the Batch Normalization ops
// (compute_batchnorm_ops), through the same dispatcher (dispatch.hpp), so for those ops all three answer
// identically.
#pragma once

#include "bnkata/bn_ops.hpp"
#include "bnkata/dispatch.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace bnkata {

// Every op: the Batch Normalization ops, then the exercises'.
const OpTable& all_ops();

// Answers a parsed request: dispatches on request["op"].
nlohmann::json compute(const nlohmann::json& request);

// Parses request text, then answers it (dispatch_text).
nlohmann::json compute_text(const std::string& request_text);

// compute_text, serialised: the form that crosses the WASM boundary.
std::string compute(const std::string& request_text);

// Answers request text with the Batch Normalization ops only (bn_ops.hpp), serialised: what the page's
// first-visit module answers. Defined here, header-only, so that module links the core alone — not the
// exercise engine that compute() lists.
inline std::string compute_batchnorm_ops(const std::string& request_text) {
    return dispatch_string(request_text, batchnorm_ops());
}

// The names of the ops compute() answers, in table order.
std::vector<std::string> op_names();

}  // namespace bnkata
