#!/usr/bin/env bash
# Checks the live API through its public address (CloudFront) after a deploy: /health answers 200 with
# the database up (and, when given, from the instance just deployed), and a read-only request reaches the
# API itself, not an error page: GET /rocks without a token gets the API's own 401. Asks again for a
# while (an origin can take a moment after a first deploy), then exits 1 naming what it last saw.
#
# Usage: smoke-test.sh --api-url https://d1234abcd.cloudfront.net/api [--instance i-0123456789abcdef0]
# Environment: SMOKE_ATTEMPTS (10), SMOKE_INTERVAL_SECONDS (6).
set -euo pipefail

readonly ATTEMPTS=${SMOKE_ATTEMPTS:-10}
readonly INTERVAL_SECONDS=${SMOKE_INTERVAL_SECONDS:-6}
# The API's own answer to a request without a token (Django REST framework's wording).
readonly NOT_AUTHENTICATED='"detail"[[:space:]]*:[[:space:]]*"Authentication credentials were not provided\."'

die() {
  echo "::error::$*" >&2
  exit 1
}

api_url='' instance=''
while (($# > 0)); do
  [[ $# -ge 2 ]] || die "$1 needs a value"
  case $1 in
    --api-url) api_url=${2%/} ;;
    --instance) instance=$2 ;;
    *) die "unknown option $1" ;;
  esac
  shift 2
done
[[ $api_url =~ ^https?://[^[:space:]]+$ ]] ||
  die "--api-url must be the API's public address, such as https://d1234abcd.cloudfront.net/api (repository variable API_URL; got '$api_url')"

body_file=$(mktemp)
trap 'rm -f "$body_file"' EXIT

# Prints the HTTP status of a GET; the body lands in $body_file.
get() { curl -sS --max-time 10 -o "$body_file" -w '%{http_code}' "$api_url$1" 2>/dev/null || true; }

health_ok() {
  [[ $health_status == 200 && $health_body =~ \"database\"[[:space:]]*:[[:space:]]*\"ok\" ]] || return 1
  [[ -z $instance || $health_body =~ \"instance\"[[:space:]]*:[[:space:]]*\"$instance\" ]]
}

for ((attempt = 1; attempt <= ATTEMPTS; attempt++)); do
  health_status=$(get /health)
  health_body=$(<"$body_file")
  rocks_status=$(get /rocks)
  rocks_body=$(<"$body_file")
  if health_ok && [[ $rocks_status == 401 && $rocks_body =~ $NOT_AUTHENTICATED ]]; then
    echo "GET $api_url/health: $health_body"
    echo "GET $api_url/rocks without a token: 401, from the API"
    if [[ $health_body =~ \"sample_credentials\"[[:space:]]*:[[:space:]]*true ]]; then
      echo "::warning::The live API has the sample users' published credentials (SEED=sample): anyone can sign in as them."
    fi
    exit 0
  fi
  ((attempt == ATTEMPTS)) || sleep "$INTERVAL_SECONDS"
done

echo "GET $api_url/health: HTTP ${health_status:-none} ${health_body:0:300}" >&2
echo "GET $api_url/rocks: HTTP ${rocks_status:-none} ${rocks_body:0:300}" >&2
if [[ -n $instance && $health_status == 200 && ! $health_body =~ \"instance\"[[:space:]]*:[[:space:]]*\"$instance\" ]]; then
  die "the public API answers, but not from $instance, the instance just deployed"
fi
die "the API does not answer through $api_url after $ATTEMPTS attempts"
