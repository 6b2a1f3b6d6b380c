#!/usr/bin/env bash
# Best effort: install the system packages the tests use — Debian's Chromium (real-browser tests), the Noto
# CJK fonts (screenshots, drawn scan pages) and antiword (.doc/.wps). Never fails the build: where it cannot
# install, those tests skip with a clear message (and import refuses .doc/.wps with the command to fix it).
set -u
have() { command -v "$1" >/dev/null 2>&1; }
if have chromium && have antiword && fc-list 2>/dev/null | grep -qi "noto sans cjk"; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! have apt-get; then
  echo "install_system: not root or no apt-get; browser, antiword and CJK-font tests will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
( timeout 600 apt-get update -qq && timeout 900 apt-get install -y -qq chromium fonts-noto-cjk antiword >/dev/null ) \
  || echo "install_system: apt-get failed; browser, antiword and CJK-font tests will be skipped" >&2
exit 0
