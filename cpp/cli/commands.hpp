// commands.hpp — the `bnkata` subcommands. Each lives in its own cmd_*.cpp and is listed once in main.cpp.
#pragma once

namespace bnkata::cli {

// Each returns the process's exit code: 0 on success, 1 on bad input, 2 on bad usage.
int cmd_compute(int argc, char** argv);
int cmd_bench(int argc, char** argv);
int cmd_train(int argc, char** argv);  // the training lab's engine, cmd_train.cpp
int cmd_check(int argc, char** argv);  // exercises: re-grade an exported answers file

}  // namespace bnkata::cli
