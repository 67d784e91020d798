#!/usr/bin/env bash
# Sends deploy-api.sh to the EC2 instance with AWS Systems Manager Run Command and prints the command id.
# The script travels inside the command itself (gzip, then base64), checked against its SHA-256 on the
# instance before it runs. The command carries no secret: the instance reads those from Parameter Store.
#
# Usage: send-deploy-command.sh --instance-id i-0123456789abcdef0 --image REGISTRY/REPOSITORY:TAG
#          --region us-east-2 --parameter-prefix /rock-of-ages/api/ [--ssl-mode verify-full] [--comment TEXT]
set -euo pipefail
umask 077

readonly EXECUTION_TIMEOUT_SECONDS=900
# How long SSM waits for the instance to pick the command up before giving up on it.
readonly DELIVERY_TIMEOUT_SECONDS=300

die() {
  echo "::error::$*" >&2
  exit 1
}

# POSIX single-quoting: the SSM document runs the commands with sh.
shell_quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

instance_id='' image='' region='' prefix='' ssl_mode=verify-full comment='Deploy the Rock of Ages API'
while (($# > 0)); do
  [[ $# -ge 2 ]] || die "$1 needs a value"
  case $1 in
    --instance-id) instance_id=$2 ;;
    --image) image=$2 ;;
    --region) region=$2 ;;
    --parameter-prefix) prefix=$2 ;;
    --ssl-mode) ssl_mode=$2 ;;
    --comment) comment=$2 ;;
    *) die "unknown option $1" ;;
  esac
  shift 2
done
[[ -n $instance_id ]] || die "--instance-id is required (repository variable EC2_INSTANCE_ID)"
[[ -n $image ]] || die "--image is required"
[[ -n $region ]] || die "--region is required (repository variable AWS_REGION)"
[[ -n $prefix ]] || die "--parameter-prefix is required"

deploy_script="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/deploy-api.sh"
encoded_script=$(gzip -9 --no-name --stdout "$deploy_script" | base64 -w 0)
script_sha256=$(sha256sum "$deploy_script" | cut -d ' ' -f 1)

deploy_command="bash deploy-api.sh"
for argument in --image "$image" --region "$region" --parameter-prefix "$prefix" \
  --instance-id "$instance_id" --ssl-mode "$ssl_mode"; do
  deploy_command+=" $(shell_quote "$argument")"
done

parameters=$(mktemp)
trap 'rm -f "$parameters"' EXIT
jq -n --arg encoded "$encoded_script" --arg sha256 "$script_sha256" --arg deploy "$deploy_command" \
  --arg timeout "$EXECUTION_TIMEOUT_SECONDS" \
  '{
    commands: [
      "set -eu",
      ("printf %s \u0027" + $encoded + "\u0027 | base64 --decode | gunzip > deploy-api.sh"),
      ("echo \u0027" + $sha256 + "  deploy-api.sh\u0027 | sha256sum --check --quiet"),
      $deploy
    ],
    executionTimeout: [$timeout]
  }' >"$parameters"

aws ssm send-command \
  --instance-ids "$instance_id" \
  --document-name AWS-RunShellScript \
  --comment "${comment:0:100}" \
  --timeout-seconds "$DELIVERY_TIMEOUT_SECONDS" \
  --parameters "file://$parameters" \
  --region "$region" \
  --query Command.CommandId --output text
