#!/usr/bin/env bash
# Installs what building and testing reconcile needs on Debian 12, skipping
# what is already there. Run as root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git curl python3 python3-pip
  libcurl4-openssl-dev libssl-dev nlohmann-json3-dev libtoml11-dev libfmt-dev
  libboost-graph-dev libpugixml-dev libre2-dev libcli11-dev libgtest-dev libgmock-dev
  libbenchmark-dev clang libclang-rt-14-dev
  zsh fish  # e2e.cli runs the zsh and fish completion scripts
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! command -v moto_server >/dev/null 2>&1; then
  echo "==> pip install moto[server] (moto_server not found)"
  pip3 install --quiet 'moto[server]' || pip3 install --quiet --break-system-packages 'moto[server]'
fi
if ! command -v aws >/dev/null 2>&1; then
  echo "==> pip install awscli (aws CLI not found)"
  pip3 install --quiet awscli || pip3 install --quiet --break-system-packages awscli
fi
