#!/usr/bin/env bash
# Waits for an AWS Systems Manager Run Command invocation to finish, prints what it printed on the
# instance, and exits 0 only when it succeeded. Without --instance-id (a command sent to the instance
# tagged as its target), it first waits for Systems Manager to name the one instance it reached.
#
# Usage: wait-for-command.sh --command-id ID [--instance-id i-0123456789abcdef0]
#          [--timeout-seconds 1200] [--interval-seconds 5] [--output-file FILE]
set -euo pipefail

die() {
  echo "::error::$*" >&2
  exit 1
}

command_id='' instance_id='' timeout_seconds=1200 interval_seconds=5 output_file=''
while (($# > 0)); do
  [[ $# -ge 2 ]] || die "$1 needs a value"
  case $1 in
    --command-id) command_id=$2 ;;
    --instance-id) instance_id=$2 ;;
    --timeout-seconds) timeout_seconds=$2 ;;
    --interval-seconds) interval_seconds=$2 ;;
    --output-file) output_file=$2 ;;
    *) die "unknown option $1" ;;
  esac
  shift 2
done
[[ -n $command_id ]] || die "--command-id is required"

invocation() {
  aws ssm get-command-invocation --command-id "$command_id" --instance-id "$instance_id" \
    --query "$1" --output text
}

errors_file=$(mktemp)
trap 'rm -f "$errors_file"' EXIT
deadline=$((SECONDS + timeout_seconds))

# Targets given by tag are resolved by Systems Manager after send-command returns.
if [[ -z $instance_id ]]; then
  while true; do
    listed=$(aws ssm list-command-invocations --command-id "$command_id" \
      --query 'CommandInvocations[].InstanceId' --output text) || die "could not list the command's invocations"
    read -r -a reached <<<"$listed"
    ((${#reached[@]} == 0)) || break
    ((SECONDS < deadline)) ||
      die "the command reached no instance: is the API host running, tagged by the stack, and Online in Fleet Manager?"
    sleep "$interval_seconds"
  done
  ((${#reached[@]} == 1)) || die "the command reached ${#reached[@]} instances (${reached[*]}); expected the one API host"
  instance_id=${reached[0]}
  echo "The command runs on $instance_id"
fi

# Right after send-command the invocation may not exist yet (InvocationDoesNotExist): keep asking.
# Any other error (permissions, a wrong id) ends the wait at once.
while true; do
  if ! status=$(invocation Status 2>"$errors_file"); then
    grep -q InvocationDoesNotExist "$errors_file" || die "could not read the command's status: $(<"$errors_file")"
    status=Pending
  fi
  case $status in
    Pending | InProgress | Delayed | Cancelling) ;;
    *) break ;;
  esac
  ((SECONDS < deadline)) || die "gave up after ${timeout_seconds}s; the command is still $status on $instance_id"
  sleep "$interval_seconds"
done

output=$(invocation StandardOutputContent)
errors=$(invocation StandardErrorContent)
echo "Output on $instance_id:"
printf '%s\n' "$output"
[[ -z $errors ]] || printf '%s\n' "$errors" >&2
if [[ -n $output_file ]]; then printf '%s\n' "$output" "$errors" >"$output_file"; fi

[[ $status == Success ]] || die "the deploy on $instance_id ended with status $status: see the output above"
echo "The command $command_id succeeded on $instance_id"
