// commands.hpp — the `bnkata` subcommands. Each lives in its own cmd_*.cpp and is listed once in main.cpp.
#pragma once

#include <algorithm>
#include <cstddef>
#include <istream>
#include <string>

namespace bnkata::cli {

// Reads in into text, but at most limit + 1 bytes: returns false, having read no more, when the input is
// longer than limit. Every subcommand reads stdin and files this way, so that a huge input is refused
// without being held in memory first.
inline bool read_bounded(std::istream& in, std::string& text, std::size_t limit) {
    text.clear();
    char buffer[65536];
    while (in && text.size() <= limit) {
        in.read(buffer, static_cast<std::streamsize>(std::min(sizeof buffer, limit + 1 - text.size())));
        text.append(buffer, static_cast<std::size_t>(in.gcount()));
    }
    return text.size() <= limit;
}

// Each returns the process's exit code: 0 on success, 1 on bad input, 2 on bad usage.
int cmd_compute(int argc, char** argv);
int cmd_bench(int argc, char** argv);
int cmd_train(int argc, char** argv);  // the training lab's engine, cmd_train.cpp
int cmd_summarise(int argc, char** argv);  // a lab run's summary, cmd_summarise.cpp
int cmd_check(int argc, char** argv);  // exercises: re-grade an exported answers file

}  // namespace bnkata::cli
