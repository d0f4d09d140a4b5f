#!/bin/sh
# Regenerates every golden file from the current build, through the very
# same golden.cmake the tests run, then shows what changed. Review the
# diff before committing: a golden file is a promise to users.
set -eu
build=${1:-build/asan}
cd "$(dirname "$0")/.."
cmake --build "$build"
SL_UPDATE_GOLDEN=1 ctest --test-dir "$build" -R '^golden\.' -j"$(nproc)" >/dev/null || true
ctest --test-dir "$build" -R '^golden\.' -j"$(nproc)" --output-on-failure
git status --short tests/golden
