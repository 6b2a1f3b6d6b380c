#!/usr/bin/env bash
# Install the system packages the tests use — Debian's Chromium (real-browser tests), the Noto CJK fonts
# (screenshots, drawn scan pages), antiword (.doc/.wps) and PostgreSQL (the database backend; the tests start
# servers of their own, so Debian's default cluster is not created).
#
# Where it cannot (not root, no apt-get, apt-get fails, a package still missing after it):
#   - on a developer's machine it says so and exits 0: the tests that need what is missing skip, with reasons;
#   - under CI (CI=true, as .ci/run sets it) it exits 1 naming what is missing: CI must test everything, and
#     the tests themselves fail there on a missing component (tests/system.py).
# TZSEARCH_PG_LIB and TZSEARCH_PG_COMMON (Debian's /usr/lib/postgresql and /etc/postgresql-common) exist
# for tests/test_system.py.
set -u
ci=false
case "${CI:-}" in 1 | [Tt]rue | TRUE | yes | on) ci=true ;; esac
pg_lib=${TZSEARCH_PG_LIB:-/usr/lib/postgresql}
pg_common=${TZSEARCH_PG_COMMON:-/etc/postgresql-common}

have() { command -v "$1" >/dev/null 2>&1; }
have_pg() { ls "$pg_lib"/*/bin/initdb >/dev/null 2>&1 || have initdb; }
have_font() { fc-list 2>/dev/null | grep -qi "noto sans cjk"; }
missing() {
  local m=""
  have chromium || have chromium-browser || m="$m chromium"
  have antiword || m="$m antiword"
  have_pg || m="$m postgresql"
  have_font || m="$m fonts-noto-cjk"
  echo "${m# }"
}
give_up() {
  if $ci; then
    echo "install_system: $1, and CI=true: failing (missing: $(missing))" >&2
    exit 1
  fi
  echo "install_system: $1; the tests that need $(missing) will be skipped" >&2
  exit 0
}

[ -z "$(missing)" ] && exit 0
if [ "$(id -u)" != "0" ] || ! have apt-get; then
  give_up "not root or no apt-get"
fi
export DEBIAN_FRONTEND=noninteractive
if [ ! -e "$pg_common/createcluster.conf" ]; then  # no default cluster on port 5432: tests make their own
  mkdir -p "$pg_common" && echo "create_main_cluster = false" > "$pg_common/createcluster.conf"
fi
if ! ( timeout 600 apt-get update -qq \
       && timeout 900 apt-get install -y -qq -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
            chromium fonts-noto-cjk antiword postgresql >/dev/null ); then
  give_up "apt-get failed"
fi
if [ -n "$(missing)" ]; then
  give_up "apt-get ran but packages are still missing"
fi
exit 0
