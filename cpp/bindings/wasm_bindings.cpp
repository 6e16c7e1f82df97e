// wasm_bindings.cpp — the only C++ file that includes Emscripten headers. It adapts the core to JS and
// registers it; it computes nothing. The core builds and is tested natively without it.
//
// The rule at this boundary: nothing throws across it. A C++ exception reaching JS is a bare number with
// no message (BUILD-NOTES.md), so every error is a value inside the response. The core keeps that rule
// itself (bnkata::compute never throws, whatever the input), which is why nothing here catches: the
// module is built without exception catching (cpp/wasm.cmake).
//
// JS sees these functions only through web/js/core.js.
#include <emscripten/bind.h>

#include <bnkata/compute.hpp>

#include <string>

// ===================================================================================================
// The lesson: one JSON request in, one JSON response out — exactly `bnkata compute`, so the page and the
// CLI answer identically. Embind copies the strings across the boundary both ways; nothing JS holds
// points into the WASM heap, so memory growth cannot invalidate it.

EMSCRIPTEN_BINDINGS(bnkata_lesson) {
    // compute(request: string) → string: the response to one request (bnkata/compute.hpp).
    emscripten::function("compute", emscripten::select_overload<std::string(const std::string&)>(&bnkata::compute));
}

// ===================================================================================================
// The training lab (issue 5) adds its own section below this line: its functions, and its own
// EMSCRIPTEN_BINDINGS(bnkata_training) block. Typed arrays in with convertJSArrayToNumberVector, results
// copied out into new typed arrays (never typed_memory_view: it goes stale when memory grows), and every
// handle JS creates freed in a `finally`.

// ---------------------------------------------------------------------------------------------------
// Training lab (issue 5; owner: training-core). One handle per network, driven by the lab's Worker:
//   const lab = new Module.TrainingLab();
//   try { lab.configure(json); lab.setData('train', images, labels); lab.step(k); lab.probe(json); }
//   finally { lab.delete(); }
// Every method returns a JSON string, {"ok": true, …} or {"ok": false, "error": {field, message}}, and
// never throws (docs/training.md). Data is copied in; results are copied out as strings.
#include <emscripten/val.h>

#include <bnkata/training/lab.hpp>

#include <cstdint>
#include <vector>

namespace {

class TrainingLab {
public:
    std::string configure(const std::string& config) { return lab_.configure(config); }

    // images: a Uint8Array (pixels 0..255, scaled by 1/255 here, as `bnkata train --mnist` does) or a
    // Float32Array / array of numbers used as they are; labels: any typed array or array of integers.
    std::string setData(const std::string& split, const emscripten::val& images, const emscripten::val& labels) {
        if (!is_array_like(images)) return error("images", "expected a Uint8Array or a Float32Array");
        if (!is_array_like(labels)) return error("labels", "expected a Uint8Array or an array of integers");
        std::vector<float> x = emscripten::convertJSArrayToNumberVector<float>(images);
        if (images.instanceof(emscripten::val::global("Uint8Array")))
            for (float& v : x) v = v / 255.0f;
        const std::vector<int32_t> y = emscripten::convertJSArrayToNumberVector<int32_t>(labels);
        return lab_.set_data(split, x.data(), x.size(), y.data(), y.size());
    }

    std::string step(double k) { return lab_.step(k); }
    std::string probe(const std::string& request) { return lab_.probe(request); }

private:
    static bool is_array_like(const emscripten::val& v) {
        return !v.isUndefined() && !v.isNull() && v.typeOf().as<std::string>() == "object" && v["length"].isNumber();
    }
    static std::string error(const char* field, const char* message) {
        return bnkata::training::error_json(field, message).dump();
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
}
