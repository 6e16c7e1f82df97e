// wasm_bindings.cpp — the page's first-visit module, bnkata-core.js (cpp/wasm.cmake). Only the files in
// cpp/bindings/ include Emscripten headers. They adapt the core to JS and register it; they compute
// nothing. The core builds and is tested natively without them.
//
// The rule at this boundary: nothing throws across it. A C++ exception reaching JS is a bare number with
// no message (docs/toolchain.md), so every error is a value inside the response. The core keeps that rule
// itself (the dispatcher never throws, whatever the input), which is why nothing here catches: the
// modules are built without exception catching (cpp/wasm.cmake).
//
// JS sees these functions only through web/js/core.js.
#include <emscripten/bind.h>

#include <bnkata/compute.hpp>

// ===================================================================================================
// The lesson: one JSON request in, one JSON response out. Embind copies the strings across the boundary
// both ways; nothing JS holds points into the WASM heap, so memory growth cannot invalidate it.

EMSCRIPTEN_BINDINGS(bnkata_lesson) {
    // compute(request: string) → string: the response to one request, for the Batch Normalization ops
    // (the exercise ops are in bnkata-exercises.js, which the page loads on demand).
    emscripten::function("compute", &bnkata::compute_batchnorm_ops);
}
