#!/usr/bin/env bash
# Best effort: install the system tools the office-format tests use — Debian's antiword (.doc/.wps) and
# the Noto CJK fonts (to draw scanned test pages). Never fails the build: where it cannot install, those
# tests skip with a clear message and import refuses .doc/.wps files with the command that installs antiword.
set -u
if command -v antiword >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto sans cjk"; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install_tools: not root or no apt-get; antiword/CJK-font tests will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
( timeout 600 apt-get update -qq && timeout 900 apt-get install -y -qq antiword fonts-noto-cjk >/dev/null ) \
  || echo "install_tools: apt-get failed; antiword/CJK-font tests will be skipped" >&2
exit 0
