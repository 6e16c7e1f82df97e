# The training lab's WebAssembly module (issue 5). Owner: training. Included after cpp/wasm.cmake.
#
# Output: bnkata-training.js in the build dir, next to the page's bnkata-core.js. It defines
# `createBnKataTraining()` (MODULARIZE), which resolves to the Embind module with the TrainingLab class
# (cpp/bindings/training_bindings.cpp, docs/training.md). It is not on the first visit: scripts/build-lab.mjs
# inlines its text into the lab's Web Worker script (inside dist/lab.js, loaded when the lab mounts), so the
# worker needs no second request and works from file://. The page's own module no longer carries the
# training engine.
#
# It is built like the page's modules (bnkata_wasm_module, cpp/wasm.cmake: SINGLE_FILE + MODULARIZE give
# one classic script that loads from file://; DYNAMIC_EXECUTION=0 because the worker runs under the page's
# CSP; ALLOW_MEMORY_GROWTH because MNIST and large nets grow the heap; no exceptions, every error is a
# value), but for speed rather than size.
bnkata_wasm_module(bnkata_wasm_training training_bindings.cpp bnkata-training createBnKataTraining)
target_link_libraries(bnkata_wasm_training PRIVATE bnkata_training)

# Speed, not size: this module is downloaded only when a learner opens the lab, and steps/s is what the
# learner sees (scripts/bench-training.mjs compares it with the native build of the same code). So the
# engine is compiled at -O3 with SIMD128, which the GCC/Clang vector extensions in matmul.cpp map to
# (natively: SSE, the same 128-bit width).
target_compile_options(bnkata_training PRIVATE -msimd128 -mbulk-memory -O3)
target_compile_options(bnkata_wasm_training PRIVATE -mbulk-memory -O3)
# The core's BN kernels (bnkata_core) are shared with the page's module, so their level is cpp/wasm.cmake's
# choice (-O3 for batchnorm.cpp); only SIMD128 is asked for here (de-duplicated with wasm.cmake's).
target_compile_options(bnkata_core PRIVATE -msimd128)
target_link_options(bnkata_wasm_training PRIVATE
  -O3                           # wasm-opt for speed
  -mbulk-memory                 # memcpy/memset as memory.copy/fill instructions, not calls out to JS
)

# `bnkata bench` as a WebAssembly program for Node (scripts/bench-wasm-kernels.mjs): the BN kernels of the
# modules above, timed against a triad compiled into the same module. Not part of the site.
add_executable(bnkata_bench_kernels_wasm cpp/bench/bench_kernels_wasm.cpp cpp/cli/cmd_bench.cpp)
set_target_properties(bnkata_bench_kernels_wasm PROPERTIES
  OUTPUT_NAME bnkata-bench-kernels SUFFIX .js RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
target_link_libraries(bnkata_bench_kernels_wasm PRIVATE bnkata_core)
bnkata_warnings(bnkata_bench_kernels_wasm)
target_compile_options(bnkata_bench_kernels_wasm PRIVATE -msimd128 -O3)
# SINGLE_FILE: Debian's Emscripten would fetch() a separate .wasm, which Node 20's fetch refuses for a path.
target_link_options(bnkata_bench_kernels_wasm PRIVATE -O3 -sENVIRONMENT=node -sALLOW_MEMORY_GROWTH=1 -sEXIT_RUNTIME=1 -sSINGLE_FILE=1)
