// wasm_bindings.cpp — the only C++ file that includes Emscripten headers. It adapts the core to JS and
// registers it; it computes nothing. The core builds and is tested natively without it.
//
// The rule at this boundary: nothing throws across it. A C++ exception reaching JS is a bare number with
// no message (BUILD-NOTES.md), so every error is a value inside the response. The core keeps that rule
// itself (bnkata::compute never throws, whatever the input), which is why nothing here catches: the
// module is built without exception catching (cpp/wasm.cmake).
//
// JS sees these functions only through web/js/core.js.
#include <emscripten/bind.h>

#include <bnkata/compute.hpp>

#include <string>

// ===================================================================================================
// The lesson: one JSON request in, one JSON response out — exactly `bnkata compute`, so the page and the
// CLI answer identically. Embind copies the strings across the boundary both ways; nothing JS holds
// points into the WASM heap, so memory growth cannot invalidate it.

EMSCRIPTEN_BINDINGS(bnkata_lesson) {
    // compute(request: string) → string: the response to one request (bnkata/compute.hpp).
    emscripten::function("compute", emscripten::select_overload<std::string(const std::string&)>(&bnkata::compute));
}

// ===================================================================================================
// The training lab (issue 5) adds its own section below this line: its functions, and its own
// EMSCRIPTEN_BINDINGS(bnkata_training) block. Typed arrays in with convertJSArrayToNumberVector, results
// copied out into new typed arrays (never typed_memory_view: it goes stale when memory grows), and every
// handle JS creates freed in a `finally`.
