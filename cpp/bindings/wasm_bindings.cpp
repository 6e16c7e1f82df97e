// wasm_bindings.cpp — the only C++ file that includes Emscripten headers. It adapts the core to JS and
// registers it; it computes nothing. The core builds and is tested natively without it.
//
// The rule at this boundary: nothing throws across it. A C++ exception reaching JS is a bare number with
// no message (BUILD-NOTES.md), so every error is a value inside the JSON response, and anything that
// escapes the core is turned into one here.
//
// JS sees these through web/js/core.js only, never directly.
#include <emscripten/bind.h>

#include <bnkata/compute.hpp>
#include <nlohmann/json.hpp>

#include <exception>
#include <string>

namespace {

// A response in the JSON contract's error shape, for failures the core did not turn into a value itself.
std::string internal_error(const std::string& what) {
    nlohmann::json response;
    response["error"] = {{"field", ""}, {"message", "internal error in the core: " + what}};
    return response.dump();
}

}  // namespace

// ===================================================================================================
// The lesson: one JSON request in, one JSON response out — exactly `bnkata compute`, so the page and the
// CLI answer identically. Strings are copied across the boundary both ways; nothing points into the heap.

// Computes the response to one request (see bnkata/compute.hpp for the contract). Mutates nothing.
std::string compute_json(const std::string& request) {
    try {
        return bnkata::compute(request);
    } catch (const std::exception& e) {
        return internal_error(e.what());
    } catch (...) {
        return internal_error("unknown exception");
    }
}

EMSCRIPTEN_BINDINGS(bnkata_lesson) {
    emscripten::function("compute", &compute_json);
}

// ===================================================================================================
// The training lab (issue 5) adds its own section below this line: its functions, and its own
// EMSCRIPTEN_BINDINGS(bnkata_training) block. Typed arrays in with convertJSArrayToNumberVector, results
// copied out into new typed arrays (never typed_memory_view: it goes stale when memory grows), every
// handle JS creates freed in a `finally`.
