// dispatch.hpp — request text → JSON → the handler its "op" names → response, over a table of ops.
//
// The one dispatcher behind every entry point: `bnkata compute` and the exercises' WASM module answer
// every op (compute.hpp), the page's first-visit WASM module only the Batch Normalization ops
// (bn_ops.hpp, batchnorm_ops()). A table is a list of rows {name, handler}; each area owns its rows.
// Nothing here throws, whatever the input.
#pragma once

#include "bnkata/json_fields.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace bnkata {

// Limits on JSON text from outside: requests, training configs, probe requests (docs/reliability.md).
constexpr std::size_t kMaxRequestBytes = std::size_t{32} << 20;  // 32 MiB of JSON text
constexpr int kMaxNestingDepth = 32;                              // arrays and objects inside each other
// Values of any kind (numbers, strings, arrays, objects, ...) in one text: room for x and dy at the
// tensor limit (2 × 1,048,576 numbers) and what goes with them. A parsed value costs 16 bytes and an
// array or object ~60 more, against 2–3 bytes of text, so without a count a 32 MiB text of tiny values
// would cost over a GiB of memory.
constexpr std::size_t kMaxRequestValues = (std::size_t{2} << 20) + (std::size_t{1} << 16);
// Memory for the parsed values, as the parser builds them: at most kMaxReadBytesPerTextByte bytes per
// byte of text, or kMinReadBudget for any text. The count above bounds a text's cost in absolute terms;
// this bounds its cost relative to its size. A flat array of one-digit numbers ("0,0,0", 2 bytes of text
// and 16 bytes parsed each) fits; "[0],[0],…" (4 bytes and ~96 parsed), nesting for its own sake, empty
// strings and the like are what it refuses once a text is large.
constexpr std::size_t kMaxReadBytesPerTextByte = 10;
constexpr std::size_t kMinReadBudget = std::size_t{16} << 20;  // 16 MiB: every request a lesson sends

// Parses JSON text from outside under the limits above. Never throws. On failure, the problem names the
// top-level field being read (an overflowing number or too many values in "x" blame "x") or, for the
// text as a whole, whole_text_field ("request", "config", ...).
Problem parse_json_text(const std::string& text, nlohmann::json& out, const char* whole_text_field = "request");

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
