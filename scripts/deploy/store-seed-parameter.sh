#!/usr/bin/env bash
# Stores which rows the API seeds as the parameter ${prefix}SEED, where the deploy script on the host
# reads it: reference (the rock types only; the default), sample (also the course's users, whose password
# is published: only for the workshop's checks) or none. The Deploy API workflow passes the repository
# variable SEED. A plain String parameter: the choice is no secret.
#
# Usage: store-seed-parameter.sh --prefix /rock-of-ages/api/ [--seed reference]
set -euo pipefail
umask 077

readonly SEEDS='sample reference none'

die() {
  echo "::error::$*" >&2
  exit 1
}

prefix='' seed=reference
while (($# > 0)); do
  [[ $# -ge 2 ]] || die "$1 needs a value"
  case $1 in
    --prefix) prefix=$2 ;;
    --seed) seed=${2:-reference} ;;
    *) die "unknown option $1" ;;
  esac
  shift 2
done
[[ $prefix =~ ^/[A-Za-z0-9_./-]*/$ ]] || die "the parameter prefix must start and end with / (got '$prefix')"
[[ " $SEEDS " == *" $seed "* ]] || die "the repository variable SEED must be one of: $SEEDS (got '$seed')"

request=$(mktemp)
trap 'rm -f "$request"' EXIT
jq -n --arg name "${prefix}SEED" --arg value "$seed" \
  '{Name: $name, Value: $value, Type: "String", Overwrite: true,
    Description: "Rock of Ages API SEED: which rows the API seeds (sample, reference or none)"}' >"$request"
version=$(aws ssm put-parameter --cli-input-json "file://$request" --query Version --output text)
echo "Stored ${prefix}SEED=$seed (version $version)"
if [[ $seed == sample ]]; then
  echo "::warning::SEED=sample loads the course's sample users, whose password and tokens are published: anyone can sign in as them. Use it for the workshop's checks only."
fi
