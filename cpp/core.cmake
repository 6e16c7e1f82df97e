# The Batch Normalization core (no Emscripten headers).
#   bnkata_kernels — the kernels: statistics, forward (train/eval), backward, running statistics, stages,
#                    and the normalization family's (normalize.hpp).
#   bnkata_core    — tensors ↔ JSON, the Batch Normalization ops (bn_ops.hpp, normalize_ops.hpp) and their dispatcher,
#                    the figures' seeded draws (draw_batch.hpp) on the portable math the training engine
#                    shares (portable_math.hpp), and the finite-difference gradient checker the tests and the
#                    grading use.
#   tests: core (doctest).
add_library(bnkata_kernels STATIC
  cpp/src/batchnorm.cpp
  cpp/src/forward_stages.cpp
  cpp/src/normalize.cpp
)
target_include_directories(bnkata_kernels PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/cpp/include)
bnkata_warnings(bnkata_kernels)
bnkata_wasm_code(bnkata_kernels SPEED)  # per-element loops

add_library(bnkata_core STATIC
  cpp/src/json_fields.cpp
  cpp/src/tensor.cpp
  cpp/src/bn_ops.cpp
  cpp/src/gradient_projection.cpp
  cpp/src/normalize_ops.cpp
  cpp/src/dispatch.cpp
  cpp/src/gradient_check.cpp
  cpp/src/portable_math.cpp
  cpp/src/draw_batch.cpp
)
# The same bits natively and in WebAssembly need IEEE arithmetic in program order (portable_math.hpp).
set_source_files_properties(cpp/src/portable_math.cpp cpp/src/draw_batch.cpp PROPERTIES COMPILE_OPTIONS -ffp-contract=off)
target_link_libraries(bnkata_core PUBLIC bnkata_kernels bnkata_json)
bnkata_warnings(bnkata_core)
bnkata_wasm_code(bnkata_core SIZE)  # once per request

if(NOT EMSCRIPTEN)
  bnkata_add_test_suite(core
    SOURCES tests/test_batchnorm.cpp tests/test_json_contract.cpp tests/test_text.cpp tests/test_gradient_projection.cpp tests/test_normalize.cpp tests/test_draw_batch.cpp
    LIBRARIES bnkata_core bnkata_api
    # Expected numbers from the committed python3-numpy generator (tests/fixtures/generate.py).
    DEFINITIONS BNKATA_FIXTURES_DIR="${CMAKE_CURRENT_SOURCE_DIR}/tests/fixtures")
endif()
