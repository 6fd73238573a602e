#!/usr/bin/env bash
# Pyodide for the tests that run jixiao inside it (tests/test_pyodide.py), offline after this:
# the runtime from npm into .pyodide/node_modules, the wasm wheels of requirements.lock
# (checked against their hashes) into .pyodide/wheels. Needs node and npm.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYODIDE_VERSION=314.0.7
mkdir -p .pyodide/wheels
if [ ! -f .pyodide/node_modules/pyodide/package.json ] \
   || ! grep -q "\"version\": \"$PYODIDE_VERSION\"" .pyodide/node_modules/pyodide/package.json; then
  npm install --silent --prefix .pyodide "pyodide@$PYODIDE_VERSION"
fi
"${PYTHON:-.venv/bin/python}" -m pip download --quiet --no-deps --only-binary=:all: \
  --platform pyemscripten_2026_0_wasm32 --python-version 3.14 --implementation cp \
  --require-hashes -r tools/pyodide/requirements.lock -d .pyodide/wheels
# pip answers a wrong platform tag with a ~1 KB placeholder wheel instead of an error.
for wheel in .pyodide/wheels/*.whl; do
  if [ "$(wc -c < "$wheel")" -lt 4096 ]; then
    echo "placeholder wheel rejected: $wheel" >&2
    exit 1
  fi
done
