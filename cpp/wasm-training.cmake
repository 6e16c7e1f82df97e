# The training lab's WebAssembly module (issue 5). Owner: training. Included after cpp/wasm.cmake.
#
# Output: bnkata-training.js in the build dir, next to the page's bnkata-core.js. It defines
# `createBnKataTraining()` (MODULARIZE), which resolves to the Embind module with the TrainingLab class
# (cpp/bindings/training_bindings.cpp, docs/training.md). It is not on the first visit: scripts/build-lab.mjs
# inlines its text into the lab's Web Worker script (inside dist/lab.js, loaded when the lab mounts), so the
# worker needs no second request and works from file://. The page's own module no longer carries the
# training engine.
#
# The flags follow cpp/wasm.cmake's reasoning (read its comments): SINGLE_FILE + MODULARIZE give one
# classic script that loads from file:// (BUILD-NOTES.md); DYNAMIC_EXECUTION=0 because the worker runs
# under the page's CSP (no eval); ALLOW_MEMORY_GROWTH because MNIST and large nets grow the heap (the
# bindings copy out, never hand out views); no exceptions (the engine returns every error as a value).
add_executable(bnkata_wasm_training ${CMAKE_CURRENT_LIST_DIR}/bindings/training_bindings.cpp)
target_link_libraries(bnkata_wasm_training PRIVATE bnkata_training)
set_target_properties(bnkata_wasm_training PROPERTIES
  OUTPUT_NAME bnkata-training
  SUFFIX .js
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
bnkata_warnings(bnkata_wasm_training)

# Speed, not size: this module is downloaded only when a learner opens the lab, and steps/s is what the
# learner sees (scripts/bench-training.mjs compares it with the native build of the same code). So the
# engine is compiled at -O3 with SIMD128, which the GCC/Clang vector extensions in matmul.cpp map to
# (natively: SSE, the same 128-bit width).
target_compile_options(bnkata_training PRIVATE -msimd128 -mbulk-memory -O3)
target_compile_options(bnkata_wasm_training PRIVATE -msimd128 -mbulk-memory -O3)
# The core's BN kernels (bnkata_core) are shared with the page's module, so their level is cpp/wasm.cmake's
# choice (-O3 for batchnorm.cpp); only SIMD128 is asked for here (de-duplicated with wasm.cmake's).
target_compile_options(bnkata_core PRIVATE -msimd128)
# The lab's once-per-click code (config parsing, the JSON face, probes, synthetic data) would be fine at
# -Oz; it is compiled at -O3 like the rest of the engine because the module is no longer on the first
# visit. (Set here explicitly: a source file's COMPILE_OPTIONS come after the target's on the command line.)
set_source_files_properties(
  cpp/src/training/config.cpp cpp/src/training/lab.cpp cpp/src/training/probes.cpp
  cpp/src/training/synthetic_data.cpp
  PROPERTIES COMPILE_OPTIONS -O3)

target_link_options(bnkata_wasm_training PRIVATE
  -O3                           # wasm-opt for speed
  -mbulk-memory                 # memcpy/memset as memory.copy/fill instructions, not calls out to JS
  -lembind
  -sMODULARIZE=1
  -sEXPORT_NAME=createBnKataTraining
  -sSINGLE_FILE=1               # wasm inlined as base64: one script, loads from file://
  -sALLOW_MEMORY_GROWTH=1       # MNIST (8,000 × 784 floats) and big nets grow the heap
  -sDYNAMIC_EXECUTION=0         # no new Function / eval in Embind's glue: the page's CSP forbids them
  -sENVIRONMENT=web,worker,node # the lab's Worker; Node for tests/node
  -sFILESYSTEM=0
  -sINCOMING_MODULE_JS_API=[print,printErr,locateFile,onAbort]
)
