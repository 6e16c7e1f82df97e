// dispatch.cpp — request text → JSON → the op's handler → response (dispatch.hpp).
#include "bnkata/dispatch.hpp"

#include "bnkata/json_fields.hpp"

#include <algorithm>

namespace bnkata {

using nlohmann::json;

namespace {

std::string list_of_ops(const OpTable& ops) {
    std::string text;
    for (const Op& op : ops) text += (text.empty() ? "" : ", ") + std::string(op.name);
    return text;
}

// What a parsed value costs in memory, as the builder below allocates it on a 64-bit host (wasm32 needs
// less): every value is a 16-byte json in its parent's array or member; an array or object adds its
// heap-allocated container and the allocator's headers; a string, its heap-allocated std::string and,
// past the 15 characters kept inline, its characters; an object member, its tree node and key. The
// estimate is per value and the same on every platform, so that a text is accepted or refused alike
// natively and in the page.
constexpr std::size_t kValueBytes = 16;
constexpr std::size_t kArrayBytes = 48;
constexpr std::size_t kObjectBytes = 64;
constexpr std::size_t kStringBytes = 48;
constexpr std::size_t kMemberBytes = 80;
constexpr std::size_t kInlineChars = 15;
std::size_t chars_bytes(const std::string& text) { return text.size() > kInlineChars ? text.size() + 1 : 0; }

// Reading happens in two passes over the text. The survey builds nothing: it checks the text against
// every limit (it stops at kMaxNestingDepth, at kMaxRequestValues and when the values would cost more
// than the text's read budget), remembers the top-level field being read (so that an overflowing number
// can be blamed on "x" rather than on the request), keeps the parser's own message on a syntax error, and
// counts the elements of every array. Only a text that passes is built, each array allocated once at its
// final size: an array grown one element at a time leaves behind blocks of 1, 2, 4, … times its size,
// which WebAssembly's allocator cannot hand back, and a refused text costs no memory at all.
class Survey : public nlohmann::json_sax<json> {
  public:
    Survey(const char* whole_text_field, std::size_t read_budget)
        : whole_text_(whole_text_field), read_budget_(read_budget) {}

    bool null() override { return counted(0); }
    bool boolean(bool) override { return counted(0); }
    bool number_integer(number_integer_t) override { return counted(0); }
    bool number_unsigned(number_unsigned_t) override { return counted(0); }
    bool number_float(number_float_t, const string_t&) override { return counted(0); }
    bool string(string_t& value) override { return counted(kStringBytes + chars_bytes(value)); }
    bool binary(binary_t& value) override { return counted(value.size()); }
    bool start_object(std::size_t) override {
        if (!counted(kObjectBytes) || !deeper()) return false;
        open_arrays_.push_back(kNotAnArray);
        return true;
    }
    bool start_array(std::size_t) override {
        if (!counted(kArrayBytes) || !deeper()) return false;
        open_arrays_.push_back(array_sizes_.size());
        array_sizes_.push_back(0);
        return true;
    }
    bool end_object() override { return closed(); }
    bool end_array() override { return closed(); }
    bool key(string_t& name) override {
        if (open_arrays_.size() == 1) field_ = name;
        return charged(kMemberBytes + chars_bytes(name));
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) override {
        message_ = ex.what();
        return false;
    }

    // How many elements each array holds, in the order the arrays open in the text.
    const std::vector<std::size_t>& array_sizes() const { return array_sizes_; }

    // Why reading failed, once sax_parse has returned false.
    FieldError failure() const {
        const std::string field = field_.empty() ? whole_text_ : field_;
        if (too_deep_) return {field, "nested more than " + std::to_string(kMaxNestingDepth) + " levels deep"};
        if (too_many_)
            return {field, "more than " + std::to_string(kMaxRequestValues) +
                               " JSON values (numbers, strings, arrays, objects) in one text"};
        if (too_costly_)
            return {field, "too many small values for the text's size: reading them would take more than " +
                               std::to_string(read_budget_) + " bytes of memory (" +
                               std::to_string(kMaxReadBytesPerTextByte) + " per byte of text, at least " +
                               std::to_string(kMinReadBudget) + ")"};
        // nlohmann's messages start "[json.exception.parse_error.101] ": keep only what follows.
        const auto bracket = message_.find("] ");
        std::string what = bracket == std::string::npos ? message_ : message_.substr(bracket + 2);
        if (what.find("number overflow") != std::string::npos)
            return {field, what + ": the number does not fit in a double"};
        return {whole_text_, "not valid JSON: " + what};
    }

  private:
    static constexpr std::size_t kNotAnArray = static_cast<std::size_t>(-1);

    bool deeper() {
        too_deep_ = open_arrays_.size() >= static_cast<std::size_t>(kMaxNestingDepth);
        return !too_deep_;
    }
    bool closed() {
        open_arrays_.pop_back();
        return true;
    }
    // One more value, costing kValueBytes and the given bytes more; an element of the innermost open array.
    bool counted(std::size_t bytes) {
        if (++values_ > kMaxRequestValues) too_many_ = true;
        if (!open_arrays_.empty() && open_arrays_.back() != kNotAnArray) ++array_sizes_[open_arrays_.back()];
        return !too_many_ && charged(kValueBytes + bytes);
    }
    bool charged(std::size_t bytes) {
        read_bytes_ += bytes;
        too_costly_ = read_bytes_ > read_budget_;
        return !too_costly_;
    }

    std::string whole_text_;
    std::size_t read_budget_;
    std::vector<std::size_t> open_arrays_;  // per open array or object: its index in array_sizes_, or kNotAnArray
    std::vector<std::size_t> array_sizes_;
    std::size_t values_ = 0;
    std::size_t read_bytes_ = 0;
    bool too_deep_ = false;
    bool too_many_ = false;
    bool too_costly_ = false;
    std::string field_;
    std::string message_;
};

// Builds the value of a text the survey accepted, each array reserved at the size the survey counted. A
// duplicate key keeps its last value, as nlohmann's own builder does.
class Builder : public nlohmann::json_sax<json> {
  public:
    Builder(json& root, const std::vector<std::size_t>& array_sizes) : root_(root), array_sizes_(array_sizes) {}

    bool null() override { return placed(nullptr); }
    bool boolean(bool value) override { return placed(value); }
    bool number_integer(number_integer_t value) override { return placed(value); }
    bool number_unsigned(number_unsigned_t value) override { return placed(value); }
    bool number_float(number_float_t value, const string_t&) override { return placed(value); }
    bool string(string_t& value) override { return placed(std::move(value)); }
    bool binary(binary_t& value) override { return placed(json::binary(std::move(value))); }
    bool start_object(std::size_t) override {
        open_.push_back(&place(json::object()));
        return true;
    }
    bool start_array(std::size_t) override {
        json& array = place(json::array());
        if (next_array_ < array_sizes_.size()) array.get_ref<json::array_t&>().reserve(array_sizes_[next_array_++]);
        open_.push_back(&array);
        return true;
    }
    bool end_object() override { return closed(); }
    bool end_array() override { return closed(); }
    bool key(string_t& name) override {
        member_ = &(*open_.back())[name];
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

  private:
    // Puts value where the text has it: the root, the next element of the open array, or the member whose
    // key came last. Only ancestors of the value are open, so growing an array never moves one of them.
    json& place(json&& value) {
        if (open_.empty()) return root_ = std::move(value);
        json& parent = *open_.back();
        if (!parent.is_array()) return *member_ = std::move(value);
        auto& elements = parent.get_ref<json::array_t&>();
        elements.push_back(std::move(value));
        return elements.back();
    }
    bool placed(json&& value) {
        place(std::move(value));
        return true;
    }
    bool closed() {
        open_.pop_back();
        return true;
    }

    json& root_;
    const std::vector<std::size_t>& array_sizes_;
    std::size_t next_array_ = 0;
    std::vector<json*> open_;
    json* member_ = nullptr;
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
    Survey survey(whole_text_field, std::max(kMinReadBudget, kMaxReadBytesPerTextByte * text.size()));
    if (!json::sax_parse(text, &survey)) return survey.failure();
    Builder builder(out, survey.array_sizes());
    json::sax_parse(text, &builder);  // cannot fail: the survey read the same text
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
