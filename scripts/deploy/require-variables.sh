#!/usr/bin/env bash
# Fails with one clear message naming every repository variable that is not set.
# Usage: require-variables.sh NAME... (each NAME read from the environment)
set -euo pipefail

missing=()
for name in "$@"; do
  [[ -n ${!name-} ]] || missing+=("$name")
done
if ((${#missing[@]} > 0)); then
  echo "::error::Set these repository variables (Settings > Secrets and variables > Actions > Variables): ${missing[*]}" >&2
  exit 1
fi
echo "Repository variables present: $*"
