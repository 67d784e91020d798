#!/usr/bin/env bash
# Stores the API's database settings as SecureString parameters in AWS Systems Manager Parameter Store,
# where the instance's deploy script reads them. The workflow maps the GitHub secrets DB_NAME, DB_USER,
# DB_PASSWORD, DB_HOST and DB_PORT to environment variables of the same names; each value reaches the AWS
# CLI through a request file only this user can read, never as an argument, and is never printed.
#
# Usage: DB_NAME=... DB_USER=... DB_PASSWORD=... DB_HOST=... DB_PORT=... \
#          store-db-parameters.sh --prefix /rock-of-ages/api/
set -euo pipefail
umask 077

readonly DB_SETTINGS=(DB_NAME DB_USER DB_PASSWORD DB_HOST DB_PORT)

die() {
  echo "::error::$*" >&2
  exit 1
}

# Pasted secrets often end in a line break; the database never wants surrounding whitespace.
trim() {
  local value=$1
  value=${value#"${value%%[![:space:]]*}"}
  printf '%s' "${value%"${value##*[![:space:]]}"}"
}

prefix=''
while (($# > 0)); do
  case $1 in
    --prefix) [[ $# -ge 2 ]] || die "--prefix needs a value"; prefix=$2; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
[[ $prefix =~ ^/[A-Za-z0-9_./-]*/$ ]] || die "the parameter prefix must start and end with / (got '$prefix')"

missing=()
for name in "${DB_SETTINGS[@]}"; do
  value=$(trim "${!name-}")
  [[ -n $value ]] || missing+=("$name")
  [[ $value != *$'\n'* ]] || die "the $name secret contains a line break"
  export "$name=$value"
done
((${#missing[@]} == 0)) || die "missing GitHub secrets: ${missing[*]} (Settings > Secrets and variables > Actions)"
[[ $DB_PORT =~ ^[0-9]{1,5}$ ]] || die "the DB_PORT secret must be a port number such as 5432"

request=$(mktemp)
trap 'rm -f "$request"' EXIT
for name in "${DB_SETTINGS[@]}"; do
  jq -n --arg name "$prefix$name" --arg setting "$name" \
    '{Name: $name, Value: env[$setting], Type: "SecureString", Overwrite: true,
      Description: ("Rock of Ages API " + $setting + ", from the GitHub secret of that name")}' >"$request"
  version=$(aws ssm put-parameter --cli-input-json "file://$request" --query Version --output text)
  echo "Stored $prefix$name (SecureString, version $version)"
done
