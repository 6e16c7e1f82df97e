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

target_link_options(bnkata_wasm PRIVATE
  -O2
  -lembind
  -sMODULARIZE=1
  -sEXPORT_NAME=createBnKata
  -sSINGLE_FILE=1               # wasm inlined as base64: loads from file://, one request
  -sALLOW_MEMORY_GROWTH=1       # large batches grow the heap; so the bindings copy out, never hand out views
  -sDYNAMIC_EXECUTION=0         # no new Function / eval in Embind's glue: the page's CSP forbids them
  -sENVIRONMENT=web,worker,node
  -sINCOMING_MODULE_JS_API=[print,printErr,locateFile,onAbort]
)
