#!/usr/bin/env bash
# Checks that an ECS service really runs the task definition just deployed. Waiting for a service to
# become stable also succeeds after the deployment circuit breaker rolled a failed deploy back to the
# previous revision: this tells the two apart, prints the service's latest events, and fails on the second.
#
# Usage: check-ecs-deployment.sh --cluster NAME --service NAME --task-definition ARN
set -euo pipefail

die() {
  echo "::error::$*" >&2
  exit 1
}

cluster='' service='' task_definition=''
while (($# > 0)); do
  [[ $# -ge 2 ]] || die "$1 needs a value"
  case $1 in
    --cluster) cluster=$2 ;;
    --service) service=$2 ;;
    --task-definition) task_definition=$2 ;;
    *) die "unknown option $1" ;;
  esac
  shift 2
done
[[ -n $cluster && -n $service && -n $task_definition ]] || die "--cluster, --service and --task-definition are required"

described=$(aws ecs describe-services --cluster "$cluster" --services "$service" --output json)
running=$(jq -r '.services[0].taskDefinition // empty' <<<"$described")
rollout=$(jq -r '[.services[0].deployments[]? | select(.status == "PRIMARY") | .rolloutState // "unknown"][0] // "none"' <<<"$described")
deployments=$(jq -r '.services[0].deployments | length' <<<"$described")

if [[ $running == "$task_definition" && $rollout == COMPLETED && $deployments == 1 ]]; then
  echo "Service $service runs $task_definition; its deployment is complete"
  exit 0
fi
echo "Latest events of service $service:" >&2
jq -r '.services[0].events[:5][]? | "  | \(.createdAt // "") \(.message)"' <<<"$described" >&2
if [[ $running != "$task_definition" ]]; then
  die "service $service runs ${running:-nothing}, not $task_definition: the deployment circuit breaker rolled the deploy back (the new tasks did not become healthy)"
fi
die "service $service has $deployments deployments and its primary one is $rollout, not COMPLETED"
