// fuzz_compute.cpp — the JSON dispatcher, every op (the BN ops and the exercises'), from request text.
#include "fuzz_check.hpp"

#include "bnkata/compute.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    bnkata_fuzz::require_answer(bnkata::compute(text));
    return 0;
}
