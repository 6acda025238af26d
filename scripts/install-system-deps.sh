#!/usr/bin/env bash
# Debian packages Cipher needs: espeak-ng (synthetic voices), sox (mixing, phone-band filtering), chromium
# (headless, for the test that the gate's Data Docs render offline; that test skips without it).
# Idempotent and quiet when everything is already there; needs root (or sudo) only when it must install.
set -euo pipefail
packages=(espeak-ng sox chromium)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing Debian packages: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
