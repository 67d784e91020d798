#!/usr/bin/env bash
# Starts a deploy of the API image on the EC2 host with AWS Systems Manager Run Command and prints the
# command id. Two ways, by what exists in AWS:
#
# - With --document (the infra stack's deploy document, repository variable DEPLOY_DOCUMENT): runs that
#   document, whose only parameter is the image, on the instance tagged as its target. The deploy script
#   and every other setting are in the document itself; the pipeline's role may run nothing else.
# - Without it (a host built by hand in the workshop, repository variable EC2_INSTANCE_ID): sends
#   deploy-api.sh inside an AWS-RunShellScript command (gzip, then base64), checked against its SHA-256
#   on the instance before it runs.
#
# Either way the command carries no secret, and with --output-log-group its output is kept in CloudWatch Logs.
#
# Usage: send-deploy-command.sh --image REGISTRY/REPOSITORY:TAG --region us-east-2
#          (--document NAME [--instance-id ID] | --instance-id ID --parameter-prefix /rock-of-ages/api/
#           [--ssl-mode verify-full]) [--output-log-group NAME] [--comment TEXT]
set -euo pipefail
umask 077

readonly EXECUTION_TIMEOUT_SECONDS=900
# How long SSM waits for the instance to pick the command up before giving up on it.
readonly DELIVERY_TIMEOUT_SECONDS=300
# The tag the infra stack puts on the API host: its value is the name of the document that deploys there.
readonly TARGET_TAG_KEY=rock-of-ages:deploy-document

die() {
  echo "::error::$*" >&2
  exit 1
}

# POSIX single-quoting: the SSM document runs the commands with sh.
shell_quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

instance_id='' image='' region='' prefix='' ssl_mode=verify-full document='' output_log_group=''
comment='Deploy the Rock of Ages API'
while (($# > 0)); do
  [[ $# -ge 2 ]] || die "$1 needs a value"
  case $1 in
    --instance-id) instance_id=$2 ;;
    --image) image=$2 ;;
    --region) region=$2 ;;
    --parameter-prefix) prefix=$2 ;;
    --ssl-mode) ssl_mode=$2 ;;
    --document) document=$2 ;;
    --output-log-group) output_log_group=$2 ;;
    --comment) comment=$2 ;;
    *) die "unknown option $1" ;;
  esac
  shift 2
done
[[ -n $image ]] || die "--image is required"
[[ -n $region ]] || die "--region is required (repository variable AWS_REGION)"
if [[ -z $document ]]; then
  [[ -n $instance_id ]] ||
    die "set the repository variable DEPLOY_DOCUMENT (the infra stack's output) or, for a host built by hand, EC2_INSTANCE_ID"
  [[ -n $prefix ]] || die "--parameter-prefix is required"
fi

parameters=$(mktemp)
trap 'rm -f "$parameters"' EXIT

if [[ -n $document ]]; then
  jq -n --arg image "$image" '{image: [$image]}' >"$parameters"
  send=(--document-name "$document")
  if [[ -n $instance_id ]]; then
    send+=(--instance-ids "$instance_id")
  else
    send+=(--targets "Key=tag:$TARGET_TAG_KEY,Values=$document")
  fi
else
  deploy_script="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/deploy-api.sh"
  encoded_script=$(gzip -9 --no-name --stdout "$deploy_script" | base64 -w 0)
  script_sha256=$(sha256sum "$deploy_script" | cut -d ' ' -f 1)
  deploy_command="bash deploy-api.sh"
  for argument in --image "$image" --region "$region" --parameter-prefix "$prefix" \
    --instance-id "$instance_id" --ssl-mode "$ssl_mode"; do
    deploy_command+=" $(shell_quote "$argument")"
  done
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
  send=(--document-name AWS-RunShellScript --instance-ids "$instance_id")
fi
if [[ -n $output_log_group ]]; then
  send+=(--cloud-watch-output-config "CloudWatchOutputEnabled=true,CloudWatchLogGroupName=$output_log_group")
fi

aws ssm send-command "${send[@]}" \
  --comment "${comment:0:100}" \
  --timeout-seconds "$DELIVERY_TIMEOUT_SECONDS" \
  --parameters "file://$parameters" \
  --region "$region" \
  --query Command.CommandId --output text
