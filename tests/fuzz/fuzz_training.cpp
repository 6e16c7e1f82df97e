// fuzz_training.cpp — the training lab: a config, then (when it is small) a few steps and a probe.
//
// The input is the config text, optionally followed by a line "\n--probe\n" and a probe request. Every
// config is read and validated; only configs whose steps are cheap are trained (the work limits are
// what keep the others bounded, and are tested in the doctest suite), so that the fuzzer spends its
// time on inputs rather than on matrix products. The whole input is also read as a recorded run by the
// run summary (run_summary.hpp), which must answer any text with a summary or an error value.
#include "fuzz_check.hpp"

#include "bnkata/training/lab.hpp"
#include "bnkata/training/run_summary.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    bnkata_fuzz::require_answer(bnkata::training::run_summary(input));
    const std::string separator = "\n--probe\n";
    const std::size_t split = input.find(separator);
    const std::string config = input.substr(0, split);
    const std::string probe = split == std::string::npos ? R"({"etas":[0.1,1]})" : input.substr(split + separator.size());

    bnkata::training::Lab lab;
    const nlohmann::json configured = bnkata_fuzz::require_answer(lab.configure(config));
    bnkata_fuzz::require_answer(lab.probe(probe));  // before any data when external: an error value
    if (configured.contains("error")) return 0;
    const bnkata::training::Config& c = lab.session()->config();
    if (c.step_work() > 2e5 || c.evaluation_work() > 2e5 || c.data.train > 2000) return 0;
    if (c.data.external) {
        // A tiny external data set from the config's own sizes: values from the input's bytes.
        const std::size_t count = c.batch_size, features = c.shape.sizes.front();
        std::vector<float> x(count * features);
        std::vector<int32_t> labels(count);
        for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(data[i % size]) / 25.0f - 5.0f;
        for (std::size_t i = 0; i < count; ++i) labels[i] = static_cast<int32_t>(i % c.shape.sizes.back());
        bnkata_fuzz::require_answer(lab.set_data("train", x.data(), x.size(), labels.data(), count));
        bnkata_fuzz::require_answer(lab.set_data("test", x.data(), x.size(), labels.data(), count));
    }
    bnkata_fuzz::require_answer(lab.step(3));
    bnkata_fuzz::require_answer(lab.probe(probe));
    bnkata_fuzz::require_answer(lab.step(1));
    return 0;
}
