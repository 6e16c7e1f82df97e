# The training lab's engine (no Emscripten headers; cpp/bindings/training_bindings.cpp adapts lab.hpp).
#   bnkata_training — float32 dense nets with and without BN: matmul, layers, loss, SGD, init, network,
#                     probes, metrics, synthetic data and the MNIST asset, portable RNG, the session
#                     and its JSON face, and the run summary step 3 grades (run_summary.cpp).
#   bnkata_bench_training — native steps/s of the lab's benchmark network (docs/benchmarks.md).
#   tests: training (doctest).
add_library(bnkata_training STATIC
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
  cpp/src/training/mnist.cpp
  cpp/src/training/config.cpp
  cpp/src/training/session.cpp
  cpp/src/training/lab.cpp
  cpp/src/training/run_summary.cpp
)
target_link_libraries(bnkata_training PUBLIC bnkata_core)
bnkata_warnings(bnkata_training)
# Bit-identical native and WASM runs need IEEE arithmetic in program order: no FMA contraction, no
# -ffast-math. (x86-64's baseline has no FMA and WASM SIMD128 has none; this keeps it so for any -march.)
target_compile_options(bnkata_training PRIVATE -ffp-contract=off)
# Steps per second is what a learner sees, and the lab's module is not on the first visit: speed, not
# size. The GCC/Clang vector extensions in matmul.cpp map to SIMD128 (natively: SSE, the same width);
# bulk memory turns memcpy/memset into instructions instead of calls out to JavaScript.
bnkata_wasm_code(bnkata_training SPEED)
if(EMSCRIPTEN)
  target_compile_options(bnkata_training PRIVATE -mbulk-memory)
endif()

if(NOT EMSCRIPTEN)
  bnkata_add_test_suite(training
    SOURCES
      tests/test_training_kernels.cpp
      tests/test_training_network.cpp
      tests/test_training_session.cpp
      tests/test_training_run_summary.cpp
    LIBRARIES bnkata_training)

  # A benchmark, not part of a build or a test run: cmake --build --preset native --target bnkata_bench_training
  add_executable(bnkata_bench_training EXCLUDE_FROM_ALL cpp/bench/bench_training.cpp)
  target_link_libraries(bnkata_bench_training PRIVATE bnkata_training)
  bnkata_warnings(bnkata_bench_training)
endif()
