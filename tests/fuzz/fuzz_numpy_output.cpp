// fuzz_numpy_output.cpp — reading what NumPy printed, pasted by a learner (step 5), and its grading.
#include "fuzz_check.hpp"

#include "bnkata/compute.hpp"
#include "bnkata/exercises/numpy_print.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto printed = bnkata::exercises::read_printed_array(text, "Normalized y:");
    if (!printed.error.empty() && !printed.values.empty())
        bnkata_fuzz::fail("values read and an error at once", text);
    const nlohmann::json request = {
        {"op", "grade"}, {"id", "s5-numpy-paste"}, {"seed", 1}, {"answer", {{"numpy_output", text}}}};
    bnkata_fuzz::require_answer(bnkata::compute(request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
    return 0;
}
