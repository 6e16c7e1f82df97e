// fuzz_formula.cpp — the formula language (parse, evaluate) and the formula grader, from typed text.
#include "fuzz_check.hpp"

#include "bnkata/compute.hpp"
#include "bnkata/exercises/expression.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::optional<bnkata::exercises::ParseError> error;
    const auto e = bnkata::exercises::Expression::parse(text, error);
    if (!error) (void)e.evaluate(bnkata::exercises::Variables{});
    else if (error->message.empty()) bnkata_fuzz::fail("a parse error without a message", text);
    std::string constant_error;
    (void)bnkata::exercises::parse_constant(text, constant_error);
    // As the page sends it: the typed text as the answer to the formula exercise.
    const nlohmann::json request = {{"op", "grade"}, {"id", "s1-formula"}, {"seed", 1}, {"answer", {{"xhat", text}}}};
    bnkata_fuzz::require_answer(bnkata::compute(request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
    return 0;
}
