# The WebAssembly module (issue: browser). Only cpp/bindings/wasm_bindings.cpp includes Emscripten headers.
#
# Output: bnkata-core.js in the build dir — one classic script with the wasm inlined (SINGLE_FILE), the
# only form that loads from file:// (BUILD-NOTES.md). It defines `createBnKata()` (MODULARIZE), which
# resolves to the Embind module; the page reaches it only through web/js/core.js.
add_executable(bnkata_wasm ${CMAKE_CURRENT_LIST_DIR}/bindings/wasm_bindings.cpp)
target_link_libraries(bnkata_wasm PRIVATE ${BNKATA_WASM_LIBS})
set_target_properties(bnkata_wasm PROPERTIES
  OUTPUT_NAME bnkata-core
  SUFFIX .js
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
bnkata_warnings(bnkata_wasm)

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
target_compile_options(bnkata_wasm PRIVATE -msimd128)

# Size: the page's first visit loads this module, so code that runs once per click (exercise generation
# and grading, JSON in and out, the lab's configure/probe/report) is compiled for size (-Oz). Only the
# loops that run per element keep -O3: the batch-norm kernels (batchnorm.cpp, forward_stages.cpp) and the
# training engine's step (matmul, layers, loss, optimizer, network, session). The exercises were ~290 KB
# of the ~550 KB of code at -O3, most of it nlohmann/json and std::function bodies inlined into every
# generator. (A later -O option wins, so this overrides CMAKE_CXX_FLAGS_RELEASE's -O3.)
target_compile_options(bnkata_exercises PRIVATE -Oz)
target_compile_options(bnkata_api PRIVATE -Oz)
target_compile_options(bnkata_wasm PRIVATE -Oz)
set_source_files_properties(
  cpp/src/json_fields.cpp cpp/src/tensor.cpp cpp/src/bn_ops.cpp
  cpp/src/training/config.cpp cpp/src/training/lab.cpp cpp/src/training/probes.cpp
  cpp/src/training/synthetic_data.cpp
  PROPERTIES COMPILE_OPTIONS -Oz)

# Link at -Oz: it sets wasm-opt's level for the whole module. The hot loops were already optimised by
# clang at -O3 above; measured with scripts/bench-training.mjs, the lab's steps/s did not drop (-38 KB raw).
target_link_options(bnkata_wasm PRIVATE
  -Oz
  -lembind
  -sMODULARIZE=1
  -sEXPORT_NAME=createBnKata
  -sSINGLE_FILE=1               # wasm inlined as base64: loads from file://, one request
  -sALLOW_MEMORY_GROWTH=1       # large batches grow the heap; so the bindings copy out, never hand out views
  -sDYNAMIC_EXECUTION=0         # no new Function / eval in Embind's glue: the page's CSP forbids them
  -sENVIRONMENT=web,worker,node
  -sFILESYSTEM=0                # no file I/O in the core; keeps the JS file system out of the glue should a libc call ask for it
  -sINCOMING_MODULE_JS_API=[print,printErr,locateFile,onAbort]
)
