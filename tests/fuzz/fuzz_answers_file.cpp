// fuzz_answers_file.cpp — an exported answers file, re-graded (check_answers), from file text.
#include "fuzz_check.hpp"

#include "bnkata/compute.hpp"
#include "bnkata/dispatch.hpp"
#include "bnkata/exercises/answers_file.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    nlohmann::json file;
    if (bnkata::parse_json_text(text, file, "file")) return 0;  // refused as text: the dispatcher's harness covers that
    const nlohmann::json r = bnkata::compute(nlohmann::json{{"op", "check_answers"}, {"file", std::move(file)}});
    bnkata_fuzz::require_answer(bnkata::to_text(r));
    return 0;
}
