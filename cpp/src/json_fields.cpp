// json_fields.cpp — reading request fields without exceptions (see json_fields.hpp).
#include "bnkata/json_fields.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace bnkata {

using nlohmann::json;

json error_response(const FieldError& error) {
    return json{{"error", {{"field", error.field}, {"message", error.message}}}};
}

std::string to_text(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

const json* find_field(const json& request, const char* name) {
    if (!request.is_object()) return nullptr;
    const auto it = request.find(name);
    return it == request.end() ? nullptr : &*it;
}

std::string describe_type(const json& value) {
    switch (value.type()) {
        case json::value_t::null: return "null";
        case json::value_t::object: return "an object";
        case json::value_t::array: return "an array";
        case json::value_t::string: return "a string";
        case json::value_t::boolean: return "a boolean";
        case json::value_t::binary: return "binary data";
        case json::value_t::discarded: return "nothing";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
        case json::value_t::number_float: return "a number";
    }
    return "an unknown value";
}

std::string format_number(double value) {
    // %.17g always reads back exactly; try shorter first so that 0.1 prints as 0.1.
    char text[32];
    for (int digits = 6; digits <= 17; ++digits) {
        std::snprintf(text, sizeof text, "%.*g", digits, value);
        if (std::strtod(text, nullptr) == value) break;
    }
    return text;
}

Problem read_number(const json& request, const char* name, double& out, std::optional<double> fallback) {
    const json* value = find_field(request, name);
    if (!value) {
        if (fallback) {
            out = *fallback;
            return std::nullopt;
        }
        return FieldError{name, "missing; expected a number"};
    }
    if (!value->is_number()) return FieldError{name, "expected a number, got " + describe_type(*value)};
    out = value->get<double>();
    if (!std::isfinite(out)) return FieldError{name, "expected a finite number"};
    return std::nullopt;
}

Problem read_string(const json& request, const char* name, std::string& out, std::optional<std::string> fallback) {
    const json* value = find_field(request, name);
    if (!value) {
        if (fallback) {
            out = *fallback;
            return std::nullopt;
        }
        return FieldError{name, "missing; expected a string"};
    }
    if (!value->is_string()) return FieldError{name, "expected a string, got " + describe_type(*value)};
    out = value->get<std::string>();
    return std::nullopt;
}

}  // namespace bnkata
