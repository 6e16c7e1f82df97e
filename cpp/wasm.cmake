# The WebAssembly modules (issue: browser). Only the files in cpp/bindings/ include Emscripten headers.
#
# Two modules for the page, so that a first visit loads only what steps 1 and 5 need:
#   bnkata-core.js       the Batch Normalization ops (bn_ops.hpp's table): every number of steps 1, 2 and 5.
#                        Loaded by index.html; defines `createBnKata()`.
#   bnkata-exercises.js  every op, exactly `bnkata compute` (compute.hpp): the exercise engine and the BN ops
#                        its grading uses. Loaded on demand, when the first exercise comes near; defines
#                        `createBnKataExercises()`.
# Each is one classic script with the wasm inlined (SINGLE_FILE), the only form that loads from file://
# (BUILD-NOTES.md), MODULARIZE'd into a factory that resolves to the Embind module; the page reaches them
# only through web/js/core.js.
#
# What every module of the project shares (the lab's, cpp/wasm-training.cmake, too), in one function:
#   bnkata_wasm_module(TARGET BINDINGS OUTPUT EXPORT_NAME)
# builds cpp/bindings/BINDINGS into OUTPUT.js, a factory named EXPORT_NAME, with the link options below.
# Each caller adds its libraries and its optimisation level (size for the page's, speed for the lab's).
set(BNKATA_WASM_LINK_OPTIONS
  -lembind
  -sMODULARIZE=1
  -sSINGLE_FILE=1               # wasm inlined as base64: loads from file://, one request
  -sALLOW_MEMORY_GROWTH=1       # large batches grow the heap; so the bindings copy out, never hand out views
  -sDYNAMIC_EXECUTION=0         # no new Function / eval in Embind's glue: the page's CSP forbids them
  -sENVIRONMENT=web,worker,node
  -sFILESYSTEM=0                # no file I/O in the core; keeps the JS file system out of the glue should a libc call ask for it
  -sINCOMING_MODULE_JS_API=[print,printErr,locateFile,onAbort]
)
function(bnkata_wasm_module target bindings output export_name)
  add_executable(${target} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/bindings/${bindings})
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME ${output}
    SUFFIX .js
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
  bnkata_warnings(${target})
  target_compile_options(${target} PRIVATE -msimd128)
  target_link_options(${target} PRIVATE ${BNKATA_WASM_LINK_OPTIONS} -sEXPORT_NAME=${export_name})
endfunction()

bnkata_wasm_module(bnkata_wasm wasm_bindings.cpp bnkata-core createBnKata)
target_link_libraries(bnkata_wasm PRIVATE bnkata_core)
# The core compiles synchronously, as its script runs. With asynchronous compilation Emscripten's glue
# fetch()es its own inlined wasm (a data: URL), and Chromium answered that fetch only once the parser and
# the first frames were done: loading the core took 199–425 ms, against 20–40 ms now (README, page budget;
# the module is ~120 KB, and Chromium allows a synchronous compile on the main thread up to 8 MB).
target_link_options(bnkata_wasm PRIVATE -sWASM_ASYNC_COMPILATION=0)

bnkata_wasm_module(bnkata_wasm_exercises exercises_bindings.cpp bnkata-exercises createBnKataExercises)
target_link_libraries(bnkata_wasm_exercises PRIVATE bnkata_api)

# -msimd128 goes into every library of the module, not only the bindings: the kernels' loops live there
# and this lets the compiler vectorise them (Chromium, Node 20, Safari >= 16.4).
#
# Exceptions stay at Emscripten's default (a throw aborts; catch blocks are compiled out). The core never
# throws by design — every error is a value in the response (compute.hpp) — and the Node tests drive every
# error case through this module to hold it to that. -fexceptions would cost ~14 KiB gzipped and route
# calls through JS trampolines for nothing.
foreach(_lib IN LISTS BNKATA_WASM_LIBS)
  get_target_property(_aliased ${_lib} ALIASED_TARGET)
  if(_aliased)
    set(_lib ${_aliased})
  endif()
  get_target_property(_type ${_lib} TYPE)
  if(_type STREQUAL "STATIC_LIBRARY" OR _type STREQUAL "OBJECT_LIBRARY")
    target_compile_options(${_lib} PRIVATE -msimd128)
  endif()
endforeach()

# Size: these modules are downloaded by the page (bnkata-core.js on every first visit), so code that runs
# once per click (exercise generation and grading, JSON in and out) is compiled for size (-Oz). Only the
# loops that run per element keep -O3: the normalization kernels (batchnorm.cpp, forward_stages.cpp,
# normalize.cpp). The exercises were ~290 KB of code at -O3, most of it nlohmann/json and std::function
# bodies inlined into every generator. (A later -O option wins, so this overrides CMAKE_CXX_FLAGS_RELEASE's -O3.) The training
# engine is the lab's own module, compiled for speed (cpp/wasm-training.cmake).
target_compile_options(bnkata_exercises PRIVATE -Oz)
target_compile_options(bnkata_api PRIVATE -Oz)
target_compile_options(bnkata_wasm PRIVATE -Oz)
target_compile_options(bnkata_wasm_exercises PRIVATE -Oz)
set_source_files_properties(
  cpp/src/json_fields.cpp cpp/src/tensor.cpp cpp/src/bn_ops.cpp cpp/src/normalize_ops.cpp cpp/src/dispatch.cpp
  PROPERTIES COMPILE_OPTIONS -Oz)

# Link at -Oz: it sets wasm-opt's level for the whole module. The hot loops were already optimised by
# clang at -O3 above.
target_link_options(bnkata_wasm PRIVATE -Oz)
target_link_options(bnkata_wasm_exercises PRIVATE -Oz)
