// dispatch.cpp — request text → JSON → the op's handler → response (dispatch.hpp).
#include "bnkata/dispatch.hpp"

#include "bnkata/json_fields.hpp"

namespace bnkata {

using nlohmann::json;

namespace {

std::string list_of_ops(const OpTable& ops) {
    std::string text;
    for (const Op& op : ops) text += (text.empty() ? "" : ", ") + std::string(op.name);
    return text;
}

// nlohmann's DOM builder, watched: it stops at kMaxNestingDepth and at kMaxRequestValues, remembers the
// top-level field being read (so that an overflowing number can be blamed on "x" rather than on the
// request), and keeps the parser's own message on a syntax error. Parsing never throws: the DOM builder
// is told not to.
class RequestReader : public nlohmann::detail::json_sax_dom_parser<json> {
    using Base = nlohmann::detail::json_sax_dom_parser<json>;

  public:
    RequestReader(json& result, const char* whole_text_field)
        : Base(result, /*allow_exceptions=*/false), whole_text_(whole_text_field) {}

    bool null() { return counted() && Base::null(); }
    bool boolean(bool value) { return counted() && Base::boolean(value); }
    bool number_integer(number_integer_t value) { return counted() && Base::number_integer(value); }
    bool number_unsigned(number_unsigned_t value) { return counted() && Base::number_unsigned(value); }
    bool number_float(number_float_t value, const string_t& text) { return counted() && Base::number_float(value, text); }
    bool string(string_t& value) { return counted() && Base::string(value); }
    bool binary(binary_t& value) { return counted() && Base::binary(value); }
    bool start_object(std::size_t size) { return counted() && deeper() && Base::start_object(size); }
    bool start_array(std::size_t size) { return counted() && deeper() && Base::start_array(size); }
    bool end_object() { --depth_; return Base::end_object(); }
    bool end_array() { --depth_; return Base::end_array(); }
    bool key(string_t& name) {
        if (depth_ == 1) field_ = name;
        return Base::key(name);
    }
    template <class Exception>
    bool parse_error(std::size_t, const std::string&, const Exception& ex) {
        message_ = ex.what();
        return Base::parse_error(0, std::string(), ex);
    }

    // Why reading failed, once sax_parse has returned false.
    FieldError failure() const {
        const std::string field = field_.empty() ? whole_text_ : field_;
        if (too_deep_) return {field, "nested more than " + std::to_string(kMaxNestingDepth) + " levels deep"};
        if (too_many_)
            return {field, "more than " + std::to_string(kMaxRequestValues) +
                               " JSON values (numbers, strings, arrays, objects) in one text"};
        // nlohmann's messages start "[json.exception.parse_error.101] ": keep only what follows.
        const auto bracket = message_.find("] ");
        std::string what = bracket == std::string::npos ? message_ : message_.substr(bracket + 2);
        if (what.find("number overflow") != std::string::npos)
            return {field, what + ": the number does not fit in a double"};
        return {whole_text_, "not valid JSON: " + what};
    }

  private:
    bool deeper() {
        if (++depth_ > kMaxNestingDepth) too_deep_ = true;
        return !too_deep_;
    }
    bool counted() {
        if (++values_ > kMaxRequestValues) too_many_ = true;
        return !too_many_;
    }
    std::string whole_text_;
    int depth_ = 0;
    bool too_deep_ = false;
    std::size_t values_ = 0;
    bool too_many_ = false;
    std::string field_;
    std::string message_;
};

}  // namespace

json dispatch(const json& request, const OpTable& ops) {
    if (!request.is_object())
        return error_response({"request", "expected a JSON object like {\"op\": \"forward_train\", ...}, got " +
                                              describe_type(request)});
    const json* op = find_field(request, "op");
    if (!op) return error_response({"op", "missing; expected one of " + list_of_ops(ops)});
    if (!op->is_string())
        return error_response({"op", "expected a string, one of " + list_of_ops(ops) + "; got " + describe_type(*op)});
    const std::string& name = op->get_ref<const std::string&>();
    for (const Op& row : ops)
        if (name == row.name) return row.handler(request);
    return error_response({"op", "unknown op \"" + name + "\"; expected one of " + list_of_ops(ops)});
}

Problem parse_json_text(const std::string& text, json& out, const char* whole_text_field) {
    if (text.size() > kMaxRequestBytes)
        return FieldError{whole_text_field, "too large: " + std::to_string(text.size()) + " bytes; at most " +
                                                std::to_string(kMaxRequestBytes)};
    out = json();
    RequestReader reader(out, whole_text_field);
    if (!json::sax_parse(text, &reader)) {
        out = json();  // what was built so far is of no use, and may be large
        return reader.failure();
    }
    return std::nullopt;
}

json dispatch_text(const std::string& request_text, const OpTable& ops) {
    json request;
    if (Problem problem = parse_json_text(request_text, request)) return error_response(*problem);
    return dispatch(request, ops);
}

std::string dispatch_string(const std::string& request_text, const OpTable& ops) {
    return to_text(dispatch_text(request_text, ops));
}

}  // namespace bnkata
