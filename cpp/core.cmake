# The BatchNorm core (issue: core). Owner of this fragment: the core.
#   bnkata_core — the kernels, tensors ↔ JSON, the Batch Normalization ops (bn_ops.hpp) and the normalization
#                 family's (normalize.hpp, normalize_ops.hpp) (no Emscripten headers).
#   bnkata_tests_core — its doctest suite.
# The dispatcher (bnkata_api) and the CLI are defined in cpp/api.cmake, after every area's fragment.
add_library(bnkata_core STATIC
  cpp/src/batchnorm.cpp
  cpp/src/forward_stages.cpp
  cpp/src/json_fields.cpp
  cpp/src/tensor.cpp
  cpp/src/bn_ops.cpp
  cpp/src/normalize.cpp
  cpp/src/normalize_ops.cpp
  cpp/src/dispatch.cpp
)
add_library(bnkata::core ALIAS bnkata_core)
target_include_directories(bnkata_core PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/cpp/include)
target_link_libraries(bnkata_core PUBLIC bnkata_json)
bnkata_warnings(bnkata_core)
list(APPEND BNKATA_WASM_LIBS bnkata_core)

# Libraries whose ops the dispatcher (cpp/src/compute.cpp) lists. Each later fragment appends its own
# library here and adds its rows to compute.cpp's table; cpp/api.cmake links them into bnkata_api.
set(BNKATA_API_LIBS "")

if(NOT EMSCRIPTEN)
  add_executable(bnkata_tests_core
    tests/test_batchnorm.cpp
    tests/test_json_contract.cpp
    tests/test_normalize.cpp
  )
  target_link_libraries(bnkata_tests_core PRIVATE bnkata_doctest_main bnkata_core bnkata_api)
  # Expected numbers from the committed python3-numpy generator (tests/fixtures/generate.py).
  target_compile_definitions(bnkata_tests_core PRIVATE
    BNKATA_FIXTURES_DIR="${CMAKE_CURRENT_SOURCE_DIR}/tests/fixtures")
  bnkata_warnings(bnkata_tests_core)
  add_test(NAME core COMMAND bnkata_tests_core)
endif()
