// bench_kernels_wasm.cpp — `bnkata bench` compiled to WebAssembly, for Node: the same table (the BN
// kernels' forward+backward against a memory triad over the same bytes, both in this one module), so
// scripts/bench-wasm-kernels.mjs can print the WASM rows beside the native ones.
//
//   node build/wasm/bnkata-bench-kernels.js [--trials K]
#include "../cli/commands.hpp"

int main(int argc, char** argv) { return bnkata::cli::cmd_bench(argc, argv); }
