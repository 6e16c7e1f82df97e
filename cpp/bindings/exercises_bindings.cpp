// exercises_bindings.cpp — the exercises' module, bnkata-exercises.js (cpp/wasm.cmake), which the page
// loads when the first exercise comes near. It answers every op exactly as `bnkata compute` does
// (bnkata/compute.hpp): the exercises (docs/exercises.md) and the Batch Normalization ops their grading
// and the answers file use. Same boundary rule as wasm_bindings.cpp: errors are values, nothing throws.
//
// JS sees it only through web/js/core.js (loadExerciseEngine).
#include <emscripten/bind.h>

#include <bnkata/compute.hpp>

#include <string>

EMSCRIPTEN_BINDINGS(bnkata_exercises) {
    // compute(request: string) → string: the response to one request, as `bnkata compute` prints it.
    emscripten::function("compute", emscripten::select_overload<std::string(const std::string&)>(&bnkata::compute));
}
