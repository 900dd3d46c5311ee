#!/usr/bin/env bash
# Set-up command 1: install, build, load the seed fixtures (plus ../shared/data/ctgov when present, or the
# paths you give), then run the main job.
#   scripts/setup.sh [PATH...]
# The database is build/trialscope.db unless TRIALSCOPE_DB is set.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTRIALSCOPE_BENCH=ON >/dev/null
cmake --build build -j"$(nproc)" --target trialscope
export TRIALSCOPE_DB="${TRIALSCOPE_DB:-$PWD/build/trialscope.db}"
paths=(tests/fixtures/studies)
if [ $# -gt 0 ]; then
  paths+=("$@")
elif [ -d ../shared/data/ctgov ]; then
  paths+=(../shared/data/ctgov)
fi
status=0
build/apps/trialscope import --rejects build/rejects.jsonl "${paths[@]}" || status=$?
if [ "$status" != 0 ] && [ "$status" != 3 ]; then exit "$status"; fi
[ "$status" = 3 ] && echo "some records were rejected: see build/rejects.jsonl"
echo
build/apps/trialscope stats
echo
build/apps/trialscope show NCT06964971
echo
echo "Database: $TRIALSCOPE_DB   Try: build/apps/trialscope show NCT07334093 | build/apps/trialscope --help"
