// json_fields.hpp — reading the fields of a JSON request without exceptions, and errors as values.
//
// Every op answers either its result or {"error":{"field":..., "message":...}}. Nothing here throws: a
// C++ exception reaching JavaScript through the WASM boundary is a bare number, and the WASM build may not
// catch exceptions at all. So each field is checked for presence and type *before* it is read.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace bnkata {

// What was wrong with a request: which field, and what was expected instead (a full sentence fragment
// a learner can act on, e.g. "expected 2 values (one per channel), got 3").
struct FieldError {
    std::string field;
    std::string message;
};

// An op's failure, or nothing.
using Problem = std::optional<FieldError>;

// {"error":{"field":field,"message":message}}.
nlohmann::json error_response(const FieldError& error);

// The value of request[name], or nullptr when the request is not an object or has no such field.
const nlohmann::json* find_field(const nlohmann::json& request, const char* name);

// A JSON value as text, in a way that cannot throw: invalid UTF-8 (a learner's string, a quoted value
// cut short) becomes U+FFFD instead of an exception. Every answer that leaves the core is written so.
std::string to_text(const nlohmann::json& value);

// A short description of a JSON value's type for messages: "a string", "null", "an array", ...
std::string describe_type(const nlohmann::json& value);

// A number in the shortest form that reads back exactly (for messages).
std::string format_number(double value);

// Reads request[name] as a finite number into out. When the field is absent, out = fallback if there
// is one, else "missing". Rejects non-numbers (including null and booleans) and non-finite values.
Problem read_number(const nlohmann::json& request, const char* name, double& out,
                    std::optional<double> fallback = std::nullopt);

// Reads request[name] as a string into out; absent → fallback if there is one, else "missing".
Problem read_string(const nlohmann::json& request, const char* name, std::string& out,
                    std::optional<std::string> fallback = std::nullopt);

}  // namespace bnkata
