#!/usr/bin/env bash
# Asks the API on this host for /health once and reports the answer to CloudWatch: 1 when it answers 200
# with the database up, 0 otherwise (no container, a crash, a database it cannot reach). A systemd timer
# runs it every minute; the API's health alarm watches the metric, and also goes off when reports stop.
#
# Usage: report-api-health.sh --region us-east-2 --namespace RockOfAges/Api --metric Healthy
# Environment (for testing it elsewhere): HEALTH_URL (http://127.0.0.1:80/health).
set -euo pipefail

readonly HEALTH_URL=${HEALTH_URL:-http://127.0.0.1:80/health}

die() {
  echo "report-api-health: $*" >&2
  exit 1
}

region='' namespace='' metric=''
while (($# > 0)); do
  [[ $# -ge 2 ]] || die "$1 needs a value"
  case $1 in
    --region) region=$2 ;;
    --namespace) namespace=$2 ;;
    --metric) metric=$2 ;;
    *) die "unknown option $1" ;;
  esac
  shift 2
done
[[ -n $region && -n $namespace && -n $metric ]] || die "--region, --namespace and --metric are required"

body_file=$(mktemp)
trap 'rm -f "$body_file"' EXIT
status=$(curl -sS --max-time 5 -o "$body_file" -w '%{http_code}' "$HEALTH_URL" 2>/dev/null || true)
healthy=0
if [[ $status == 200 && $(<"$body_file") =~ \"database\"[[:space:]]*:[[:space:]]*\"ok\" ]]; then healthy=1; fi

aws cloudwatch put-metric-data --region "$region" --namespace "$namespace" \
  --metric-name "$metric" --value "$healthy" --unit Count
echo "health: HTTP ${status:-none}, reported $metric=$healthy"
