#!/usr/bin/env bash
# Best effort: install the system packages the tests use — Debian's Chromium (real-browser tests), the Noto
# CJK fonts (screenshots, drawn scan pages), antiword (.doc/.wps) and PostgreSQL (the database backend; the
# tests start servers of their own, so Debian's default cluster is not created). Never fails the build: where
# it cannot install, those tests skip with a clear message (and import refuses .doc/.wps with the command to fix it).
set -u
have() { command -v "$1" >/dev/null 2>&1; }
have_pg() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || have initdb; }
if have chromium && have antiword && have_pg && fc-list 2>/dev/null | grep -qi "noto sans cjk"; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! have apt-get; then
  echo "install_system: not root or no apt-get; browser, antiword, CJK-font and PostgreSQL tests will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if [ ! -e /etc/postgresql-common/createcluster.conf ]; then  # no default cluster on port 5432: tests make their own
  mkdir -p /etc/postgresql-common && echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
fi
( timeout 600 apt-get update -qq \
  && timeout 900 apt-get install -y -qq -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
       chromium fonts-noto-cjk antiword postgresql >/dev/null ) \
  || echo "install_system: apt-get failed; browser, antiword, CJK-font and PostgreSQL tests will be skipped" >&2
exit 0
