#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests when it is missing and we may run apt.
# Otherwise say how to install it; the browser tests are then skipped (and CI fails).
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo="sudo"
else
  echo "Chromium is not installed, so the browser tests will be skipped. Install it with: sudo apt-get install chromium"
  exit 0
fi
echo "Installing Debian's Chromium for the browser tests..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
