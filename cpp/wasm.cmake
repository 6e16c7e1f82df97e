# The WebAssembly module (issue: browser). Only cpp/bindings/wasm_bindings.cpp includes Emscripten headers.
