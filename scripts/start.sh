#!/usr/bin/env bash
# npm start — installs what is missing, builds the core (native CLI and WebAssembly) and the lesson into
# dist/ (npm run build), and serves it on http://127.0.0.1:8080/.
#   npm start                      port 8080
#   PORT=9000 npm start            or: npm start -- --port 9000
#   npm start -- --base /lesson/   serve under a subpath, as a static host would
set -euo pipefail
cd "$(dirname "$0")/.."

port="${PORT:-8080}"
base="/"
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="${2:?--port needs a number}"; shift 2 ;;
    --port=*) port="${1#--port=}"; shift ;;
    --base) base="${2:?--base needs a path}"; shift 2 ;;
    --base=*) base="${1#--base=}"; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "start: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

bash scripts/build.sh  # setup, the native CLI, the WebAssembly modules, dist/

echo
echo "dist/ is self-contained: it also opens straight from disk — file://$PWD/dist/index.html — and can be"
echo "copied to any static host, under any subpath."
exec node scripts/serve.mjs --port "$port" --base "$base"
