// training_bindings.cpp — the training lab's WebAssembly module (bnkata-training.js, cpp/wasm.cmake).
// Like wasm_bindings.cpp for the page's module, it only adapts and registers: the engine
// (bnkata/training/lab.hpp) builds and is tested natively without it. This module is loaded only by the
// lab's Web Worker (scripts/build-lab.mjs inlines it into the worker's script), never on a first visit.
//
// The rule at this boundary: nothing throws across it (a C++ exception reaching JS is a bare number).
// Every method returns a JSON string: its result, or {"error": {field, message}} (docs/training.md). Data is copied in with convertJSArrayToNumberVector and results copied out as
// strings — never typed_memory_view, which goes stale when memory grows. JS frees every handle it
// creates in a `finally`:
//   const lab = new Module.TrainingLab();
//   try { lab.configure(json); lab.setData('train', images, labels); lab.step(k); lab.probe(json); }
//   finally { lab.delete(); }
// A finished run's summary (every lane's recorded answers in, step 3's numbers out) is a free function:
//   Module.runSummary(JSON.stringify({ experiment, lanes: [{ config, reports, probes }] }))
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <bnkata/training/lab.hpp>
#include <bnkata/training/run_summary.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace {

// One handle per network (the page runs "with BN" and "without BN" as two handles of one seed).
class TrainingLab {
public:
    std::string configure(const std::string& config) { return lab_.configure(config); }

    // images: a Uint8Array (pixels 0..255, which the lab scales to [0, 1]) or a Float32Array / array of
    // numbers used as they are; labels: any typed array or array of integers.
    std::string setData(const std::string& split, const emscripten::val& images, const emscripten::val& labels) {
        if (!is_array_like(images)) return error("images", "expected a Uint8Array or a Float32Array");
        if (!is_array_like(labels)) return error("labels", "expected a Uint8Array or an array of integers");
        const std::vector<int32_t> y = emscripten::convertJSArrayToNumberVector<int32_t>(labels);
        if (images.instanceof(emscripten::val::global("Uint8Array"))) {
            const std::vector<std::uint8_t> pixels = emscripten::convertJSArrayToNumberVector<std::uint8_t>(images);
            return lab_.set_data_u8(split, pixels.data(), pixels.size(), y.data(), y.size());
        }
        const std::vector<float> x = emscripten::convertJSArrayToNumberVector<float>(images);
        return lab_.set_data(split, x.data(), x.size(), y.data(), y.size());
    }

    std::string step(double k) { return lab_.step(k); }
    std::string probe(const std::string& request) { return lab_.probe(request); }

private:
    static bool is_array_like(const emscripten::val& v) {
        return !v.isUndefined() && !v.isNull() && v.typeOf().as<std::string>() == "object" && v["length"].isNumber();
    }
    static std::string error(const char* field, const char* message) {
        return bnkata::error_response({field, message}).dump();
    }
    bnkata::training::Lab lab_;
};

}  // namespace

EMSCRIPTEN_BINDINGS(bnkata_training) {
    emscripten::class_<TrainingLab>("TrainingLab")
        .constructor<>()
        .function("configure", &TrainingLab::configure)
        .function("setData", &TrainingLab::setData)
        .function("step", &TrainingLab::step)
        .function("probe", &TrainingLab::probe);
    emscripten::function("runSummary", &bnkata::training::run_summary);
}
