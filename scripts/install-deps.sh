#!/usr/bin/env bash
# Installs the Debian 12 packages trialscope needs to build, test and benchmark. Idempotent.
set -euo pipefail
PACKAGES=(
  build-essential cmake pkg-config git
  libsimdjson-dev libpugixml-dev libarchive-dev libsqlite3-dev libzstd-dev
  libutf8proc-dev libstemmer-dev libcpp-httplib-dev libxapian-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev   # libFuzzer for the fuzz smoke run
)
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
