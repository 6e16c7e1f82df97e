// fuzz_check.hpp — what every harness asserts about an answer, beyond "no crash, no sanitizer report".
//
// The core's promise (compute.hpp, lab.hpp): whatever the input, an answer is one JSON object, valid
// UTF-8, and an error is {"error": {"field": string, "message": string}}. A broken promise aborts, so
// libFuzzer saves the input as a crasher.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace bnkata_fuzz {

inline void fail(const char* what, const std::string& answer) {
    std::fprintf(stderr, "broken promise: %s\nanswer: %.2000s\n", what, answer.c_str());
    std::abort();
}

// answer must parse (strictly: invalid UTF-8 is a parse error) as an object; an error must name a field.
inline nlohmann::json require_answer(const std::string& answer) {
    const nlohmann::json r = nlohmann::json::parse(answer, nullptr, /*allow_exceptions=*/false);
    if (r.is_discarded()) fail("the answer is not valid JSON", answer);
    if (!r.is_object()) fail("the answer is not a JSON object", answer);
    const auto error = r.find("error");
    if (error != r.end()) {
        if (!error->is_object()) fail("\"error\" is not an object", answer);
        const auto field = error->find("field"), message = error->find("message");
        if (field == error->end() || !field->is_string() || message == error->end() || !message->is_string() ||
            message->get_ref<const std::string&>().empty())
            fail("an error without a field and a message", answer);
    }
    return r;
}

}  // namespace bnkata_fuzz
