#!/usr/bin/env bash
# Runs the API's migrations (and the chosen seed) once, as a one-off ECS task of the task definition
# about to be deployed, in the service's own subnets and security group; waits for it to stop, prints
# its log lines, and exits 0 only when the migration exited 0. The ECS deploy workflow runs it before
# it updates the service, so that the service's tasks (MIGRATE_ON_START=false, SEED=none) never migrate.
#
# Usage: run-migration-task.sh --cluster NAME --service NAME --task-definition ARN [--seed reference]
#          [--started-by TEXT] [--timeout-seconds 900] [--interval-seconds 10]
set -euo pipefail
umask 077

readonly SEEDS='sample reference none'
readonly CONTAINER=api

die() {
  echo "::error::$*" >&2
  exit 1
}

cluster='' service='' task_definition='' seed=reference started_by=rock-of-ages-migration timeout_seconds=900 interval_seconds=10
while (($# > 0)); do
  [[ $# -ge 2 ]] || die "$1 needs a value"
  case $1 in
    --cluster) cluster=$2 ;;
    --service) service=$2 ;;
    --task-definition) task_definition=$2 ;;
    --seed) seed=${2:-reference} ;;
    --started-by) started_by=$2 ;;
    --timeout-seconds) timeout_seconds=$2 ;;
    --interval-seconds) interval_seconds=$2 ;;
    *) die "unknown option $1" ;;
  esac
  shift 2
done
[[ -n $cluster ]] || die "--cluster is required (repository variable ECS_CLUSTER)"
[[ -n $service ]] || die "--service is required (repository variable ECS_SERVICE)"
[[ $task_definition =~ ^arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:task-definition/[A-Za-z0-9_-]+:[0-9]+$ ]] ||
  die "--task-definition must be the ARN of a registered task definition revision (got '$task_definition')"
[[ " $SEEDS " == *" $seed "* ]] || die "the repository variable SEED must be one of: $SEEDS (got '$seed')"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The service's own network: its subnets, its security group (the one the database admits), its public address.
aws ecs describe-services --cluster "$cluster" --services "$service" --output json >"$work/service.json"
jq -e '.services[0].networkConfiguration.awsvpcConfiguration.subnets | length > 0' "$work/service.json" >/dev/null ||
  die "service $service in cluster $cluster was not found, or has no awsvpc network configuration"
jq '.services[0].networkConfiguration' "$work/service.json" >"$work/network.json"

# The same image and settings as the service, with the one-off command and the seed.
jq -n --arg container "$CONTAINER" --arg seed "$seed" \
  '{containerOverrides: [{name: $container, command: ["node", "dist/cli.js", "setup"], environment: [{name: "SEED", value: $seed}]}]}' \
  >"$work/overrides.json"

aws ecs run-task --cluster "$cluster" --task-definition "$task_definition" --launch-type FARGATE \
  --network-configuration "file://$work/network.json" --overrides "file://$work/overrides.json" \
  --started-by "${started_by:0:36}" --output json >"$work/run.json"
if jq -e '(.failures // []) | length > 0' "$work/run.json" >/dev/null; then
  die "ECS did not start the migration task: $(jq -r '[.failures[] | "\(.reason // "") \(.detail // "")"] | join("; ")' "$work/run.json")"
fi
task_arn=$(jq -r '.tasks[0].taskArn // empty' "$work/run.json")
[[ -n $task_arn ]] || die "ECS started no migration task"
echo "Migration task $task_arn started (SEED=$seed)"

deadline=$((SECONDS + timeout_seconds))
while true; do
  aws ecs describe-tasks --cluster "$cluster" --tasks "$task_arn" --output json >"$work/task.json"
  status=$(jq -r '.tasks[0].lastStatus // "MISSING"' "$work/task.json")
  [[ $status != STOPPED && $status != MISSING ]] || break
  ((SECONDS < deadline)) || die "gave up after ${timeout_seconds}s; the migration task is still $status"
  sleep "$interval_seconds"
done
[[ $status == STOPPED ]] || die "the migration task $task_arn is gone from ECS without a stop status"

# What the migration printed, from the container's log stream (awslogs: prefix/container/task id).
log_group=$(aws ecs describe-task-definition --task-definition "$task_definition" --output json |
  jq -r --arg container "$CONTAINER" '.taskDefinition.containerDefinitions[] | select(.name == $container) | .logConfiguration.options // {} | "\(."awslogs-group" // "") \(."awslogs-stream-prefix" // "")"')
read -r group prefix <<<"$log_group"
if [[ -n ${group:-} && -n ${prefix:-} ]]; then
  stream="$prefix/$CONTAINER/${task_arn##*/}"
  echo "Its output ($group, $stream):"
  if aws logs get-log-events --log-group-name "$group" --log-stream-name "$stream" --start-from-head --output json >"$work/logs.json" 2>"$work/logs.err"; then
    jq -r '.events[].message | "  | " + .' "$work/logs.json"
  else
    echo "  (could not read it: $(head -c 300 "$work/logs.err"))"
  fi
fi

exit_code=$(jq -r --arg container "$CONTAINER" '.tasks[0].containers[] | select(.name == $container) | .exitCode // "none"' "$work/task.json")
if [[ $exit_code != 0 ]]; then
  reason=$(jq -r --arg container "$CONTAINER" '[.tasks[0].stoppedReason // empty, (.tasks[0].containers[] | select(.name == $container) | .reason // empty)] | join("; ")' "$work/task.json")
  die "the migration task ended with exit code $exit_code${reason:+ ($reason)}: the service was not updated"
fi
echo "Migrations and seed (SEED=$seed) done: exit code 0"
