#!/usr/bin/env bash
# Installs Debian packages, unattended (as root), waiting for the apt and dpkg locks instead of
# failing when another apt holds them (unattended upgrades, another install on the machine).
#   bash scripts/apt-install.sh PACKAGE...
set -euo pipefail

# apt-get waits up to this long for the dpkg lock itself; `update` is retried as long for its own.
wait_seconds="${APT_LOCK_WAIT_SECONDS:-600}"
export DEBIAN_FRONTEND=noninteractive

update() {
  local deadline=$((SECONDS + wait_seconds))
  until apt-get -o DPkg::Lock::Timeout="$wait_seconds" update -qq; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "apt-install: apt-get update kept failing for ${wait_seconds} s" >&2
      return 1
    fi
    echo "apt-install: apt-get update failed (another apt holding its lock?); trying again in 5 s" >&2
    sleep 5
  done
}

update
apt-get -o DPkg::Lock::Timeout="$wait_seconds" install -y -qq --no-install-recommends "$@" >/dev/null
