#!/usr/bin/env bash
# npm run build — builds what `npm start` serves, without serving: the native `bnkata` CLI
# (build/native/), the three WebAssembly modules (build/wasm/) and the lesson (dist/). Installs what is
# missing first (scripts/setup.sh). The test suites are built by `npm test` or
# `cmake --build --preset native`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
export NODE_PATH=/usr/share/nodejs  # Debian's em++ needs Node's acorn from here (docs/toolchain.md)

echo "== native build (the bnkata CLI)"
cmake --preset native >/dev/null
cmake --build --preset native --target bnkata
echo "== wasm build (build/wasm: bnkata-core.js, bnkata-exercises.js, bnkata-training.js)"
cmake --preset wasm >/dev/null
cmake --build --preset wasm  # every module: the site needs all three
echo "== site (dist/)"
node scripts/build-site.mjs
