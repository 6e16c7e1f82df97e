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

// nlohmann's DOM builder, watched: it stops at kMaxNestingDepth, remembers the top-level field being
// read (so that an overflowing number can be blamed on "x" rather than on the request), and keeps the
// parser's own message on a syntax error. Parsing never throws: the DOM builder is told not to.
class RequestReader : public nlohmann::detail::json_sax_dom_parser<json> {
    using Base = nlohmann::detail::json_sax_dom_parser<json>;

  public:
    explicit RequestReader(json& result) : Base(result, /*allow_exceptions=*/false) {}

    bool start_object(std::size_t size) { return deeper() && Base::start_object(size); }
    bool start_array(std::size_t size) { return deeper() && Base::start_array(size); }
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
        if (too_deep_)
            return {field_.empty() ? "request" : field_,
                    "nested more than " + std::to_string(kMaxNestingDepth) + " levels deep"};
        // nlohmann's messages start "[json.exception.parse_error.101] ": keep only what follows.
        const auto bracket = message_.find("] ");
        std::string what = bracket == std::string::npos ? message_ : message_.substr(bracket + 2);
        if (what.find("number overflow") != std::string::npos)
            return {field_.empty() ? "request" : field_, what + ": the number does not fit in a double"};
        return {"request", "not valid JSON: " + what};
    }

  private:
    bool deeper() {
        if (++depth_ > kMaxNestingDepth) too_deep_ = true;
        return !too_deep_;
    }
    int depth_ = 0;
    bool too_deep_ = false;
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

json dispatch_text(const std::string& request_text, const OpTable& ops) {
    if (request_text.size() > kMaxRequestBytes)
        return error_response({"request", "too large: " + std::to_string(request_text.size()) +
                                              " bytes; at most " + std::to_string(kMaxRequestBytes)});
    json request;
    RequestReader reader(request);
    if (!json::sax_parse(request_text, &reader)) return error_response(reader.failure());
    return dispatch(request, ops);
}

std::string dispatch_string(const std::string& request_text, const OpTable& ops) {
    // Replace (rather than throw on) any invalid UTF-8 that might reach a message.
    return dispatch_text(request_text, ops).dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace bnkata
