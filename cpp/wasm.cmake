# The WebAssembly modules. Only the files in cpp/bindings/ include Emscripten headers; each module is one
# of them linked with the libraries it needs, which bring their own compile options (bnkata_wasm_code).
#
#   bnkata-core.js       the Batch Normalization ops (compute_batchnorm_ops): every number of steps 1, 2
#                        and 5. Loaded by index.html on every first visit; defines `createBnKata()`.
#   bnkata-exercises.js  every op, exactly `bnkata compute` (compute.hpp). Loaded when the first exercise
#                        comes near; defines `createBnKataExercises()`.
#   bnkata-training.js   the training lab's TrainingLab (docs/training.md). Inlined by scripts/build-lab.mjs
#                        into the lab's Web Worker, loaded when the lab mounts; defines
#                        `createBnKataTraining()`.
#
# Each is one classic script with the wasm inlined, MODULARIZE'd into a factory that resolves to the
# Embind module: the only form that loads from file:// (docs/toolchain.md). The page reaches the first two
# only through web/js/core.js.
#
# Exceptions stay at Emscripten's default (a throw aborts; catch blocks are compiled out): the libraries
# never throw, every error is a value in the response, and the Node tests drive every error case through
# these modules. -fexceptions would make the modules larger and route calls through JavaScript trampolines.
set(BNKATA_WASM_LINK_OPTIONS
  -lembind
  -sMODULARIZE=1
  -sSINGLE_FILE=1               # wasm inlined as base64: loads from file://, one request
  -sALLOW_MEMORY_GROWTH=1       # large batches grow the heap; so the bindings copy out, never hand out views
  -sDYNAMIC_EXECUTION=0         # no new Function / eval in Embind's glue: the page's CSP forbids them
  -sENVIRONMENT=web,worker,node
  -sFILESYSTEM=0                # no file I/O in the libraries; keeps the JS file system out of the glue
  -sINCOMING_MODULE_JS_API=[print,printErr,locateFile,onAbort]
)

# bnkata_wasm_module(TARGET BINDINGS OUTPUT EXPORT_NAME SPEED|SIZE LIBRARIES...) builds cpp/bindings/BINDINGS
# into OUTPUT.js, a factory named EXPORT_NAME, linked with LIBRARIES and optimised by wasm-opt for GOAL.
function(bnkata_wasm_module target bindings output export_name goal)
  add_executable(${target} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/bindings/${bindings})
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME ${output}
    SUFFIX .js
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
  target_link_libraries(${target} PRIVATE ${ARGN})
  bnkata_warnings(${target})
  bnkata_wasm_code(${target} ${goal})
  if(goal STREQUAL "SPEED")
    target_link_options(${target} PRIVATE ${BNKATA_WASM_LINK_OPTIONS} -sEXPORT_NAME=${export_name} -O3)
  else()
    target_link_options(${target} PRIVATE ${BNKATA_WASM_LINK_OPTIONS} -sEXPORT_NAME=${export_name} -Oz)
  endif()
endfunction()

# The page's modules are downloaded, bnkata-core.js on every first visit: wasm-opt optimises them for size.
# The kernels' loops inside were already compiled at -O3 (bnkata_kernels).
bnkata_wasm_module(bnkata_wasm wasm_bindings.cpp bnkata-core createBnKata SIZE bnkata_core)
# The core compiles synchronously, as its script runs: with asynchronous compilation Emscripten's glue
# fetch()es its own inlined wasm (a data: URL), which Chromium answers only after the parser and the
# first frames are done. The module is far below the 8 MB Chromium compiles on the main thread.
target_link_options(bnkata_wasm PRIVATE -sWASM_ASYNC_COMPILATION=0)

bnkata_wasm_module(bnkata_wasm_exercises exercises_bindings.cpp bnkata-exercises createBnKataExercises SIZE bnkata_api)

# The lab's module: downloaded only when a learner opens the lab, and steps/s is what the learner sees.
bnkata_wasm_module(bnkata_wasm_training training_bindings.cpp bnkata-training createBnKataTraining SPEED bnkata_training)
target_compile_options(bnkata_wasm_training PRIVATE -mbulk-memory)
target_link_options(bnkata_wasm_training PRIVATE -mbulk-memory)

# `bnkata bench` as a WebAssembly program for Node (scripts/bench-wasm-kernels.mjs): the BN kernels of the
# modules above, timed against a triad compiled into the same module. Not part of the site, nor of a
# default build: cmake --build --preset wasm --target bnkata_bench_kernels_wasm
# SINGLE_FILE: Debian's Emscripten would fetch() a separate .wasm, which Node 20's fetch refuses for a path.
add_executable(bnkata_bench_kernels_wasm EXCLUDE_FROM_ALL ${CMAKE_CURRENT_LIST_DIR}/bench/bench_kernels_wasm.cpp ${CMAKE_CURRENT_LIST_DIR}/cli/cmd_bench.cpp)
set_target_properties(bnkata_bench_kernels_wasm PROPERTIES
  OUTPUT_NAME bnkata-bench-kernels SUFFIX .js RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
target_link_libraries(bnkata_bench_kernels_wasm PRIVATE bnkata_core)
bnkata_warnings(bnkata_bench_kernels_wasm)
bnkata_wasm_code(bnkata_bench_kernels_wasm SPEED)
target_link_options(bnkata_bench_kernels_wasm PRIVATE -O3 -sENVIRONMENT=node -sALLOW_MEMORY_GROWTH=1 -sEXIT_RUNTIME=1 -sSINGLE_FILE=1)
