# The WebAssembly module (issue: browser). Only cpp/bindings/wasm_bindings.cpp includes Emscripten headers.
#
# Output: bnkata-core.js in the build dir — one classic script with the wasm inlined (SINGLE_FILE), the
# only form that loads from file:// (BUILD-NOTES.md). It defines `createBnKata()` (MODULARIZE), which
# resolves to the Embind module; the page reaches it only through web/js/core.js.
add_executable(bnkata_wasm ${CMAKE_CURRENT_LIST_DIR}/bindings/wasm_bindings.cpp)
target_link_libraries(bnkata_wasm PRIVATE ${BNKATA_WASM_LIBS} bnkata_json)
set_target_properties(bnkata_wasm PROPERTIES
  OUTPUT_NAME bnkata-core
  SUFFIX .js
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
bnkata_warnings(bnkata_wasm)

# Compiled into every library of the module, not only the bindings: the kernels' loops live there.
#   -msimd128    lets the compiler vectorise the kernels (Chromium, Node 20, Safari >= 16.4).
#   -fexceptions makes C++ try/catch work as it does natively (Emscripten's default compiles catch
#                blocks out and aborts on throw), so a request the core rejects by catching an exception
#                (nlohmann's parse and type errors, std::bad_alloc) answers with the same error value as
#                `bnkata compute`. Exceptions still never cross into JS: the bindings catch everything.
set(_bnkata_wasm_compile_flags -msimd128 -fexceptions)
foreach(_lib IN LISTS BNKATA_WASM_LIBS)
  get_target_property(_aliased ${_lib} ALIASED_TARGET)
  if(_aliased)
    set(_lib ${_aliased})
  endif()
  get_target_property(_type ${_lib} TYPE)
  if(_type STREQUAL "STATIC_LIBRARY" OR _type STREQUAL "OBJECT_LIBRARY")
    target_compile_options(${_lib} PRIVATE ${_bnkata_wasm_compile_flags})
  endif()
endforeach()
target_compile_options(bnkata_wasm PRIVATE ${_bnkata_wasm_compile_flags})

target_link_options(bnkata_wasm PRIVATE
  -O2
  -fexceptions
  -lembind
  -sMODULARIZE=1
  -sEXPORT_NAME=createBnKata
  -sSINGLE_FILE=1               # wasm inlined as base64: loads from file://, one request
  -sALLOW_MEMORY_GROWTH=1       # large batches grow the heap; so the bindings copy out, never hand out views
  -sDYNAMIC_EXECUTION=0         # no new Function / eval in Embind's glue: the page's CSP forbids them
  -sENVIRONMENT=web,worker,node
  -sINCOMING_MODULE_JS_API=[print,printErr,locateFile,onAbort]
)
