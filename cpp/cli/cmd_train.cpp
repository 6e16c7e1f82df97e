// cmd_train.cpp — `bnkata train`: runs a training-lab config natively and prints its metrics.
//
//   bnkata train CONFIG.json [--steps N] [--every K] [--mnist FILE]
//
// CONFIG.json is the config the page's TrainingLab takes (docs/training.md; "-" reads stdin). Prints one
// JSON line — the lab's step(K) response — every K steps (default N = 1000, K = 100), so a test can
// compare native and WASM runs line by line. Stops after the line that reports a divergence.
// --mnist FILE: the inflated bytes of dist/mnist.js (layout in bnkata/training/mnist.hpp), loaded by the
// same Lab::load_mnist_bytes the page's pixels go through.
// Exit codes: 0 ran, 1 bad config or data (the error JSON is printed), 2 bad usage.
#include "commands.hpp"

#include "bnkata/dispatch.hpp"
#include "bnkata/json_fields.hpp"
#include "bnkata/training/lab.hpp"
#include "bnkata/training/mnist.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace bnkata::cli {

namespace {

int train_usage() {
    std::fprintf(stderr, "usage: bnkata train CONFIG.json [--steps N] [--every K] [--mnist FILE]\n");
    return 2;
}

// Why a file could not be read, or "" when it was: at most limit + 1 bytes are read (read_bounded), so a
// huge file is refused without being held in memory.
std::string read_file(const std::string& path, std::string& out, std::size_t limit) {
    if (path == "-") return read_bounded(std::cin, out, limit) ? "" : "stdin holds more than " + std::to_string(limit) + " bytes";
    std::ifstream in(path, std::ios::binary);
    if (!in) return "cannot read " + path;
    if (!read_bounded(in, out, limit)) return path + " is larger than " + std::to_string(limit) + " bytes";
    return "";
}

int print(const nlohmann::json& response) {
    std::cout << to_text(response) << "\n";
    return response.contains("error") ? 1 : 0;
}

}  // namespace

int cmd_train(int argc, char** argv) {
    if (argc < 2) return train_usage();
    const std::string config_path = argv[1];
    long steps = 1000, every = 100;
    const char* mnist = nullptr;
    for (int i = 2; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--steps") && i + 1 < argc) steps = std::strtol(argv[++i], nullptr, 10);
        else if (!std::strcmp(argv[i], "--every") && i + 1 < argc) every = std::strtol(argv[++i], nullptr, 10);
        else if (!std::strcmp(argv[i], "--mnist") && i + 1 < argc) mnist = argv[++i];
        else return train_usage();
    }
    if (steps < 1 || every < 1 || every > 100000) {
        std::fprintf(stderr, "bnkata train: --steps must be ≥ 1 and --every from 1 to 100000\n");
        return 2;
    }
    std::string text;
    if (const std::string problem = read_file(config_path, text, kMaxRequestBytes); !problem.empty()) {
        std::fprintf(stderr, "bnkata train: %s\n", problem.c_str());
        return 2;
    }
    training::Lab lab;
    const nlohmann::json configured = nlohmann::json::parse(lab.configure(text));
    if (configured.contains("error")) return print(configured);
    if (mnist) {
        std::string bytes;
        // One byte more than the asset holds is enough to tell a wrong file by its size.
        if (const std::string problem = read_file(mnist, bytes, training::mnist::kBytes + 1); !problem.empty()) {
            std::fprintf(stderr, "bnkata train: %s\n", problem.c_str());
            return 2;
        }
        const nlohmann::json loaded =
            lab.load_mnist_bytes(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
        if (loaded.contains("error")) return print(loaded);
    }
    for (long done = 0; done < steps;) {
        const long k = std::min(every, steps - done);
        const nlohmann::json r = lab.step_json(static_cast<double>(k));
        if (const int code = print(r)) return code;
        if (!r["diverged"].is_null()) break;
        done += k;
    }
    return 0;
}

}  // namespace bnkata::cli
