// fuzz_compute.cpp — the JSON dispatcher, every op (the BN ops and the exercises'), from request text.
#include "fuzz_check.hpp"

#include "bnkata/compute.hpp"
#include "bnkata/dispatch.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    bnkata_fuzz::require_answer(bnkata::compute(text));
    // The reader's own builder makes the value nlohmann's parser makes, whenever it accepts a text.
    nlohmann::json read;
    if (!bnkata::parse_json_text(text, read) && read != nlohmann::json::parse(text, nullptr, false))
        bnkata_fuzz::fail("parse_json_text read a value nlohmann::json::parse does not", read.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return 0;
}
