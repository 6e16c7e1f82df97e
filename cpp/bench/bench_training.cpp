// bench_training.cpp — native steps/s of the Ioffe & Szegedy Fig. 1 configuration, with and without BN.
//
//   bnkata_bench_training [--mnist FILE] [--steps N] [--repeats R] [--batchnorm none|before] [--json]
//
// The configuration is the page's (784-100-100-100-10 sigmoid, batch 60, SGD, learning rate 0.5), run
// through the JSON face the WASM bindings call (Lab::configure, set_data, step), in calls of step(50) as
// the lab and scripts/bench-training.mjs make them — each call also measures 100 test examples and writes
// its JSON report — so both sides time the same work. Each timing runs N steps after 1,000 warm-up steps;
// the best of R repeats is reported (the machine is shared: the best run is the least
// disturbed). --mnist FILE: the inflated bytes of dist/mnist.js (layout in bnkata/training/mnist.hpp:
// the first 8,000 digits train). Without it: synthetic 784-pixel inputs with MNIST's sparsity (~19 % of
// pixels non-zero) — the zero-skipping matmul makes sparsity matter, so the table says which was used.
// A benchmark, not a test: it prints numbers and asserts nothing. Compiled for the baseline x86-64
// instruction set (SSE2, 128-bit vectors), like the WASM build's SIMD128: "the same code".
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "bnkata/training/lab.hpp"
#include "bnkata/training/mnist.hpp"
#include "bnkata/training/random.hpp"
#include "bnkata/training/session.hpp"

using namespace bnkata::training;

namespace {

struct Data {
    std::shared_ptr<Dataset> train, test;
    std::string source;
};

Data load_mnist(const char* path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Data d{nullptr, nullptr, "MNIST (dist/mnist.js)"};
    if (bnkata::Problem p = mnist::datasets_from_bytes(bytes.data(), bytes.size(), d.train, d.test)) {
        std::fprintf(stderr, "bench: %s: %s\n", path, p->message.c_str());
        std::exit(2);
    }
    return d;
}

// Inputs in [0, 1] with ~19 % non-zero pixels, clustered in a central window like digits.
Data synthetic_mnist() {
    Data d{std::make_shared<Dataset>(), std::make_shared<Dataset>(), "synthetic, MNIST-like sparsity"};
    Rng rng(42, Stream::data);
    for (int part = 0; part < 2; ++part) {
        Dataset& set = part == 0 ? *d.train : *d.test;
        set.count = part == 0 ? mnist::kTrain : mnist::kDigits - mnist::kTrain;
        set.features = mnist::kPixels;
        set.x.assign(set.count * mnist::kPixels, 0.0f);
        set.labels.resize(set.count);
        for (std::size_t i = 0; i < set.count; ++i) {
            set.labels[i] = static_cast<int32_t>(rng.below(10));
            for (std::size_t r = 4; r < 24; ++r)
                for (std::size_t c = 6; c < 22; ++c)
                    if (rng.uniform() < 0.46) set.x[i * mnist::kPixels + r * 28 + c] = static_cast<float>(rng.uniform());
        }
    }
    return d;
}

// Steps per call of Lab::step, as the page's lab and benchmark make them.
constexpr double kChunk = 50;

struct Rate {
    double wall = 0, cpu = 0;  // steps per second of elapsed time, and per second of this process's CPU time
};

// Both clocks: on a shared machine the elapsed time includes waiting for a core; the CPU time does not.
Rate steps_per_second(const Data& data, const char* batchnorm, std::size_t steps, int repeats) {
    // The page's benchmark config (scripts/bench-training.mjs), through the same JSON face the WASM
    // bindings call: the same work is timed on both sides, reports included.
    const std::string config = std::string(R"({"seed": 1, "sizes": [784, 100, 100, 100, 10], "activation": "sigmoid",)") +
                               R"( "init_scale": 0.1, "learning_rate": 0.5, "batch_size": 60, "test_examples": 100,)" +
                               R"( "data": {"kind": "external"}, "batchnorm": ")" + batchnorm + "\"}";
    Rate best;
    for (int r = 0; r < repeats; ++r) {
        Lab lab;
        std::string answer = lab.configure(config);
        if (answer.find("\"error\"") != std::string::npos) {
            std::fprintf(stderr, "bench: configure failed: %s\n", answer.c_str());
            std::exit(1);
        }
        lab.set_data("train", data.train->x.data(), data.train->x.size(), data.train->labels.data(), data.train->count);
        lab.set_data("test", data.test->x.data(), data.test->x.size(), data.test->labels.data(), data.test->count);
        for (int i = 0; i < 20; ++i) lab.step(kChunk);  // warm-up as the page's: caches, page faults, scratch
        const auto t0 = std::chrono::steady_clock::now();
        const std::clock_t c0 = std::clock();
        for (std::size_t done = 0; done < steps; done += kChunk) answer = lab.step(kChunk);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const double cpu_seconds = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
        if (answer.find("\"diverged\":null") == std::string::npos) {
            std::fprintf(stderr, "bench: the run did not train: %.300s\n", answer.c_str());
            std::exit(1);
        }
        const double timed = static_cast<double>((steps + kChunk - 1) / kChunk * kChunk);
        best.wall = std::max(best.wall, timed / seconds);
        best.cpu = std::max(best.cpu, timed / cpu_seconds);
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    const char* mnist = nullptr;
    std::size_t steps = 2000;
    int repeats = 3;
    bool json = false;
    const char* only = nullptr;  // --batchnorm: time one network only (scripts/bench-training.mjs pairs each with the page's)
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--mnist") && i + 1 < argc) mnist = argv[++i];
        else if (!std::strcmp(argv[i], "--steps") && i + 1 < argc) steps = std::strtoul(argv[++i], nullptr, 10);
        else if (!std::strcmp(argv[i], "--repeats") && i + 1 < argc) repeats = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--json")) json = true;
        else if (!std::strcmp(argv[i], "--batchnorm") && i + 1 < argc && (!std::strcmp(argv[i + 1], "none") || !std::strcmp(argv[i + 1], "before")))
            only = argv[++i];
        else {
            std::fprintf(stderr, "usage: bnkata_bench_training [--mnist FILE] [--steps N] [--repeats R] [--batchnorm none|before] [--json]\n");
            return 2;
        }
    }
    if (steps == 0 || repeats < 1) {
        std::fprintf(stderr, "bench: --steps and --repeats must be at least 1\n");
        return 2;
    }
    const Data data = mnist ? load_mnist(mnist) : synthetic_mnist();
    if (only) {
        const Rate rate = steps_per_second(data, only, steps, repeats);
        if (json)
            std::printf("{\"data\": \"%s\", \"steps\": %zu, \"repeats\": %d, \"runs\": [{\"batchnorm\": \"%s\", "
                        "\"steps_per_second\": %.1f, \"steps_per_cpu_second\": %.1f}]}\n",
                        data.source.c_str(), steps, repeats, only, rate.wall, rate.cpu);
        else
            std::printf("batchnorm %s: %.0f steps/s (elapsed), %.0f steps/s (CPU time)\n", only, rate.wall, rate.cpu);
        return 0;
    }
    const Rate none = steps_per_second(data, "none", steps, repeats);
    const Rate before = steps_per_second(data, "before", steps, repeats);
    if (json) {
        std::printf("{\"data\": \"%s\", \"steps\": %zu, \"repeats\": %d, \"runs\": ["
                    "{\"batchnorm\": \"none\", \"steps_per_second\": %.1f, \"steps_per_cpu_second\": %.1f}, "
                    "{\"batchnorm\": \"before\", \"steps_per_second\": %.1f, \"steps_per_cpu_second\": %.1f}]}\n",
                    data.source.c_str(), steps, repeats, none.wall, none.cpu, before.wall, before.cpu);
        return 0;
    }
    std::printf("Ioffe Fig. 1 net (784-100-100-100-10 sigmoid, batch 60), native, best of %d × %zu steps\n", repeats, steps);
    std::printf("data: %s\n\n", data.source.c_str());
    std::printf("| network     | steps/s (elapsed) | ms/step | steps/s (CPU time) |\n"
                "|-------------|------------------:|--------:|-------------------:|\n");
    std::printf("| without BN  | %17.0f | %7.3f | %18.0f |\n", none.wall, 1000.0 / none.wall, none.cpu);
    std::printf("| BN before σ | %17.0f | %7.3f | %18.0f |\n", before.wall, 1000.0 / before.wall, before.cpu);
    return 0;
}
