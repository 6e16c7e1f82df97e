// compute.cpp — the dispatcher: request text → JSON → the op's handler → response.
#include "bnkata/compute.hpp"

#include "bnkata/bn_ops.hpp"
#include "bnkata/exercises/answers_file.hpp"
#include "bnkata/exercises/exercise.hpp"
#include "bnkata/json_fields.hpp"

namespace bnkata {

using nlohmann::json;

namespace {

// Every op the JSON interface answers: one row per op, the name a request's "op" field gives and the
// function that answers it. Another area adds its ops by adding rows here (and its library to
// BNKATA_API_LIBS in its cmake fragment).
struct Op {
    const char* name;
    json (*handler)(const json& request);
};

const Op kOps[] = {
    {"forward_train", op_forward_train},
    {"forward_stages", op_forward_stages},
    {"forward_eval", op_forward_eval},
    {"backward", op_backward},
    {"update_running", op_update_running},
    // The exercises (docs/exercises.md).
    {"exercise_catalog", exercises::exercise_catalog_op},
    {"exercise", exercises::exercise_op},
    {"grade", exercises::grade_op},
    {"check_answers", exercises::check_answers_op},
};

std::string list_of_ops() {
    std::string text;
    for (const Op& op : kOps) text += (text.empty() ? "" : ", ") + std::string(op.name);
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

std::vector<std::string> op_names() {
    std::vector<std::string> names;
    for (const Op& op : kOps) names.emplace_back(op.name);
    return names;
}

json compute(const json& request) {
    if (!request.is_object())
        return error_response({"request", "expected a JSON object like {\"op\": \"forward_train\", ...}, got " +
                                              describe_type(request)});
    const json* op = find_field(request, "op");
    if (!op) return error_response({"op", "missing; expected one of " + list_of_ops()});
    if (!op->is_string())
        return error_response({"op", "expected a string, one of " + list_of_ops() + "; got " + describe_type(*op)});
    const std::string& name = op->get_ref<const std::string&>();
    for (const Op& row : kOps)
        if (name == row.name) return row.handler(request);
    return error_response({"op", "unknown op \"" + name + "\"; expected one of " + list_of_ops()});
}

json compute_text(const std::string& request_text) {
    if (request_text.size() > kMaxRequestBytes)
        return error_response({"request", "too large: " + std::to_string(request_text.size()) +
                                              " bytes; at most " + std::to_string(kMaxRequestBytes)});
    json request;
    RequestReader reader(request);
    if (!json::sax_parse(request_text, &reader)) return error_response(reader.failure());
    return compute(request);
}

std::string compute(const std::string& request_text) {
    // Replace (rather than throw on) any invalid UTF-8 that might reach a message.
    return compute_text(request_text).dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace bnkata
