# The training engine (issue 5: step 3 lab). Owner of this fragment: training-core.
#   bnkata_training — float32 dense nets with and without BN: matmul, layers, loss, SGD, init, network,
#                     probes, metrics, synthetic data, portable RNG/math, the session and its JSON face
#                     (no Emscripten headers; cpp/bindings/training_bindings.cpp adapts lab.hpp).
#   bnkata_tests_training — its doctest suite.        bnkata_bench_training — native steps/s (a table).
add_library(bnkata_training STATIC
  cpp/src/training/portable_math.cpp
  cpp/src/training/random.cpp
  cpp/src/training/matmul.cpp
  cpp/src/training/layers.cpp
  cpp/src/training/loss.cpp
  cpp/src/training/optimizer.cpp
  cpp/src/training/init.cpp
  cpp/src/training/network.cpp
  cpp/src/training/metrics.cpp
  cpp/src/training/probes.cpp
  cpp/src/training/synthetic_data.cpp
  cpp/src/training/config.cpp
  cpp/src/training/session.cpp
  cpp/src/training/mnist.cpp
  cpp/src/training/lab.cpp
)
add_library(bnkata::training ALIAS bnkata_training)
target_link_libraries(bnkata_training PUBLIC bnkata_core bnkata_json)
bnkata_warnings(bnkata_training)
# Bit-identical native and WASM runs need IEEE arithmetic in program order: no FMA contraction, no
# -ffast-math. (x86-64's baseline has no FMA and WASM SIMD128 has none; this keeps it so for any -march.)
target_compile_options(bnkata_training PRIVATE -ffp-contract=off)
# Not in the page's module (BNKATA_WASM_LIBS): the lab has a WebAssembly module of its own,
# bnkata-training.js (cpp/wasm-training.cmake), loaded only when the lab opens.

if(NOT EMSCRIPTEN)
  add_executable(bnkata_tests_training
    tests/test_training_kernels.cpp
    tests/test_training_network.cpp
    tests/test_training_session.cpp
  )
  target_link_libraries(bnkata_tests_training PRIVATE bnkata_doctest_main bnkata_training)
  target_include_directories(bnkata_tests_training PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/tests)
  bnkata_warnings(bnkata_tests_training)
  add_test(NAME training COMMAND bnkata_tests_training)

  add_executable(bnkata_bench_training cpp/bench/bench_training.cpp)
  target_link_libraries(bnkata_bench_training PRIVATE bnkata_training)
  bnkata_warnings(bnkata_bench_training)
endif()
