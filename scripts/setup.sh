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
if [ -d ../shared/data/vocab ]; then
  build/apps/trialscope vocab import ../shared/data/vocab/drugbank_vocabulary.csv ../shared/data/vocab/mesh_tree_terms_2019.txt
fi
echo
build/apps/trialscope stats
echo
build/apps/trialscope show NCT06964971
echo
build/apps/trialscope search --query.intr herombopag
echo
build/apps/trialscope search --query.cond "aplastic anemia" --near "Hangzhou, China" --radius 50km
echo
echo "Database: $TRIALSCOPE_DB"
echo "Try: build/apps/trialscope search --query.term \"thrombocytopenia\" --facets all | build/apps/trialscope --help"
if [ "${NO_SERVE:-0}" != 1 ]; then
  echo "Open the web site: http://127.0.0.1:${PORT:-8080}/   API: http://127.0.0.1:${PORT:-8080}/api/v2/studies?query.cond=aplastic%20anemia  (Ctrl-C stops)"
  exec build/apps/trialscope serve --port "${PORT:-8080}"
fi
