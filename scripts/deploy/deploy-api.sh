#!/usr/bin/env bash
# Replaces the API container on this EC2 instance with a new image, waits until /health reports the
# database as up, and puts the previous container back if it never does.
#
# It runs as root, sent by the Deploy API workflow through AWS Systems Manager: inside the stack's own
# deploy document (infra/), or, for a host built by hand in the workshop, in an AWS-RunShellScript
# command. The database credentials come from the database's Secrets Manager secret (--database-secret,
# the stack's way) or from SecureString parameters under the prefix (the workshop's way); SEED, the rows
# the API seeds, from the parameter ${prefix}SEED (reference when it is not set). They reach the API as
# the `.env` file in its working directory, mounted read-only from a file only root and the container's
# user can read: no secret is ever a command-line argument (the process list) or a container variable
# (`docker inspect`).
#
# Usage: deploy-api.sh --image REGISTRY/REPOSITORY:TAG --region REGION --parameter-prefix /rock-of-ages/api/
#          [--instance-id i-0123456789abcdef0 (default: asked from the instance metadata service)]
#          [--database-secret ARN [--database-name rockofages]] [--ssl-mode verify-full]
#          [--log-group NAME (container logs to CloudWatch)] [--trust-proxy CIDRS] [--container-name NAME]
# Environment (for testing it elsewhere): DEPLOY_STATE_DIR (/etc/rock-of-ages), HEALTH_URL
# (http://127.0.0.1:80/health), HEALTH_ATTEMPTS (40), HEALTH_INTERVAL_SECONDS (3), IMDS_URL
# (http://169.254.169.254).
set -euo pipefail
umask 077

readonly DB_SETTINGS=(DB_NAME DB_USER DB_PASSWORD DB_HOST DB_PORT)
readonly SSL_MODES='disable require verify-ca verify-full'
readonly SEEDS='sample reference none'
readonly HOST_PORT=80 CONTAINER_PORT=8000
readonly RDS_CA_URL=https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem
readonly CA_PATH_IN_CONTAINER=/etc/rock-of-ages/rds-global-bundle.pem

readonly STATE_DIR=${DEPLOY_STATE_DIR:-/etc/rock-of-ages}
readonly HEALTH_URL=${HEALTH_URL:-http://127.0.0.1:$HOST_PORT/health}
readonly HEALTH_ATTEMPTS=${HEALTH_ATTEMPTS:-40}
readonly HEALTH_INTERVAL_SECONDS=${HEALTH_INTERVAL_SECONDS:-3}
readonly IMDS_URL=${IMDS_URL:-http://169.254.169.254}

log() { printf '[deploy] %s\n' "$*"; }
die() {
  printf '[deploy] error: %s\n' "$*" >&2
  exit 1
}

image='' region='' prefix='' instance_id='' ssl_mode=verify-full container=rock-of-ages-api
database_secret='' database_name=rockofages log_group='' trust_proxy=''

parse_arguments() {
  while (($# > 0)); do
    [[ $# -ge 2 ]] || die "$1 needs a value"
    case $1 in
      --image) image=$2 ;;
      --region) region=$2 ;;
      --parameter-prefix) prefix=$2 ;;
      --instance-id) instance_id=$2 ;;
      --ssl-mode) ssl_mode=$2 ;;
      --container-name) container=$2 ;;
      --database-secret) database_secret=$2 ;;
      --database-name) database_name=$2 ;;
      --log-group) log_group=$2 ;;
      --trust-proxy) trust_proxy=$2 ;;
      *) die "unknown option $1" ;;
    esac
    shift 2
  done
  [[ $image =~ ^[^[:space:]@]+/[^[:space:]@]+:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] ||
    die "--image must be REGISTRY/REPOSITORY:TAG (got '$image')"
  [[ $region =~ ^[a-z]{2}(-[a-z]+)+-[0-9]$ ]] || die "--region must be an AWS region such as us-east-2 (got '$region')"
  [[ $prefix =~ ^/[A-Za-z0-9_./-]*/$ ]] || die "--parameter-prefix must start and end with / (got '$prefix')"
  [[ -z $instance_id || $instance_id =~ ^i-[0-9a-f]{8,17}$ ]] ||
    die "--instance-id must be an EC2 instance id (got '$instance_id')"
  [[ " $SSL_MODES " == *" $ssl_mode "* ]] || die "--ssl-mode must be one of: $SSL_MODES (got '$ssl_mode')"
  [[ $container =~ ^[a-zA-Z0-9][a-zA-Z0-9_.-]+$ ]] || die "--container-name is not a valid container name"
  [[ -z $database_secret || $database_secret =~ ^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$ ]] ||
    die "--database-secret must be the ARN of a Secrets Manager secret (got '$database_secret')"
  [[ $database_name =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]] || die "--database-name is not a PostgreSQL database name"
  [[ -z $log_group || $log_group =~ ^[A-Za-z0-9_./#-]{1,512}$ ]] || die "--log-group is not a CloudWatch log group name"
  [[ -z $trust_proxy || $trust_proxy =~ ^[0-9a-fA-F.:/,]+$ ]] || die "--trust-proxy must be addresses or CIDRs, comma-separated"
}

# The instance's id from the instance metadata service (IMDSv2), when the command did not name it.
instance_id_from_metadata() {
  local token_file id_file
  token_file=$(mktemp) id_file=$(mktemp)
  curl -sS --max-time 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' -o "$token_file" "$IMDS_URL/latest/api/token" &&
    curl -sS --max-time 5 -H "X-aws-ec2-metadata-token: $(<"$token_file")" -o "$id_file" \
      "$IMDS_URL/latest/meta-data/instance-id" &&
    cat "$id_file"
  local status=$?
  rm -f "$token_file" "$id_file"
  return "$status"
}

# ECR hands out 12-hour passwords; it travels on stdin, never as an argument.
log_in_to_ecr() {
  local registry=${image%%/*}
  [[ $registry =~ ^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$ ]] || return 0
  log "logging in to $registry"
  aws ecr get-login-password --region "$region" | docker login --username AWS --password-stdin "$registry" >/dev/null
}

# Prints one decrypted parameter; prints nothing when it does not exist.
read_parameter() {
  aws ssm get-parameters --region "$region" --names "$prefix$1" --with-decryption \
    --query 'Parameters[*].Value' --output text
}

# The API reads its `.env` with Node's parser: unquoted values end at `#`, double quotes expand `\n`,
# single quotes and backquotes keep every character as it is.
dotenv_line() {
  local name=$1 value=$2
  [[ $value != *$'\n'* && $value != *$'\r'* ]] || die "$name contains a line break"
  if [[ $value != *"'"* ]]; then
    printf "%s='%s'\n" "$name" "$value"
  elif [[ $value != *'`'* ]]; then
    # shellcheck disable=SC2016 # the backquotes are the .env file's quotes, not a command substitution
    printf '%s=`%s`\n' "$name" "$value"
  else
    die "$name contains both ' and \`, which a .env file cannot hold together"
  fi
}

# The DB_* settings from the database's secret, as RDS keeps them (username, password, host, port;
# dbname when the secret has one). The secret's JSON stays in this shell: jq reads it on stdin.
database_settings_from_secret() {
  local secret field value name
  secret=$(aws secretsmanager get-secret-value --region "$region" --secret-id "$database_secret" \
    --query SecretString --output text) ||
    die "could not read the database secret (does the instance role allow secretsmanager:GetSecretValue on it?)"
  for name in "${DB_SETTINGS[@]}"; do
    case $name in
      DB_NAME) field=dbname ;;
      DB_USER) field=username ;;
      DB_PASSWORD) field=password ;;
      DB_HOST) field=host ;;
      DB_PORT) field=port ;;
    esac
    value=$(jq -r --arg field "$field" '.[$field] // empty | tostring' <<<"$secret") ||
      die "the database secret is not JSON"
    [[ $name != DB_NAME || -n $value ]] || value=$database_name
    [[ -n $value ]] || die "the database secret has no \"$field\" field (is it attached to the database?)"
    [[ $name != DB_PORT || $value =~ ^[0-9]{1,5}$ ]] || die "the database secret's port must be a port number"
    dotenv_line "$name" "$value"
  done
}

# The DB_* settings from the SecureString parameters under the prefix, as the workflow stores them.
database_settings_from_parameters() {
  local name value
  for name in "${DB_SETTINGS[@]}"; do
    value=$(read_parameter "$name") || die "could not read $prefix$name (does the instance role allow ssm:GetParameters on it?)"
    [[ -n $value ]] || die "parameter $prefix$name is missing (the Deploy API workflow stores it from the $name secret)"
    [[ $name != DB_PORT || $value =~ ^[0-9]{1,5}$ ]] || die "$prefix$name must be a port number"
    dotenv_line "$name" "$value"
  done
}

# Which rows the API seeds: the pipeline's choice, and reference (no sample users) when it made none.
read_seed() {
  local value
  value=$(read_parameter SEED) || die "could not read $prefix""SEED (does the instance role allow ssm:GetParameters on it?)"
  value=${value:-reference}
  [[ " $SEEDS " == *" $value "* ]] || die "$prefix""SEED must be one of: $SEEDS (got '$value')"
  printf '%s' "$value"
}

# The photo bucket and its public URL, as the stack stores them under the prefix (a host built by
# hand has neither: the API then keeps photos in its data directory). Prints NAME=value lines.
read_photo_settings() {
  local bucket public_url
  bucket=$(read_parameter S3_BUCKET) || die "could not read $prefix""S3_BUCKET (does the instance role allow ssm:GetParameters on it?)"
  [[ -n $bucket ]] || return 0
  [[ $bucket =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || die "$prefix""S3_BUCKET is not a bucket name (got '$bucket')"
  public_url=$(read_parameter PHOTOS_PUBLIC_URL) || die "could not read $prefix""PHOTOS_PUBLIC_URL"
  dotenv_line S3_BUCKET "$bucket"
  [[ -z $public_url ]] || dotenv_line PHOTOS_PUBLIC_URL "$public_url"
  # The SDK in the container finds the instance's credentials itself, but not its region.
  dotenv_line AWS_REGION "$region"
}

# Writes every setting the API needs into $env_file. printf is a shell builtin: values never reach
# another process's arguments.
write_env_file() {
  if [[ -n $database_secret ]]; then database_settings_from_secret; else database_settings_from_parameters; fi >"$env_file"
  seed=$(read_seed)
  {
    dotenv_line SSLMODE "$ssl_mode"
    [[ $ssl_mode != verify-* ]] || dotenv_line DB_SSLROOTCERT "$CA_PATH_IN_CONTAINER"
    dotenv_line SEED "$seed"
    [[ -z $trust_proxy ]] || dotenv_line TRUST_PROXY "$trust_proxy"
    dotenv_line INSTANCE_ID "$instance_id"
    read_photo_settings
  } >>"$env_file"
}

# The file must be readable by the user the image runs as, so resolve that user's uid.
container_uid() {
  local user
  user=$(docker image inspect --format '{{.Config.User}}' "$image")
  user=${user%%:*}
  if [[ -z $user ]]; then
    echo 0
  elif [[ $user =~ ^[0-9]+$ ]]; then
    echo "$user"
  else
    docker run --rm --entrypoint id "$image" -u
  fi
}

# verify-ca and verify-full check RDS's certificate against AWS's published bundle. A failed download
# falls back to the copy from an earlier deploy.
fetch_rds_ca_bundle() {
  [[ $ssl_mode == verify-* ]] || return 0
  local download="$ca_file.download"
  if curl -fsSL --retry 3 --max-time 60 -o "$download" "$RDS_CA_URL" && grep -q 'BEGIN CERTIFICATE' "$download"; then
    chmod 644 "$download"
    mv -f "$download" "$ca_file"
  elif [[ -s $ca_file ]]; then
    rm -f "$download"
    log "warning: could not download $RDS_CA_URL; using the copy from an earlier deploy"
  else
    rm -f "$download"
    die "could not download the RDS certificate bundle from $RDS_CA_URL"
  fi
}

container_exists() { docker container inspect "$1" >/dev/null 2>&1; }

# A deploy interrupted between moving the old container aside and starting the new one leaves only
# the backup: put it back first, so it becomes this deploy's "previous".
recover_interrupted_deploy() {
  if ! container_exists "$container" && container_exists "$backup"; then
    log "restoring $backup left by an interrupted deploy"
    docker rename "$backup" "$container"
  fi
  if container_exists "$backup"; then docker rm --force "$backup" >/dev/null; fi
}

# Everything the new container needs, prepared before the old one is touched.
prepare_container_arguments() {
  local uid workdir
  uid=$(container_uid) || die "could not find which user $image runs as"
  workdir=$(docker image inspect --format '{{.Config.WorkingDir}}' "$image")
  chown "$uid" "$env_file"
  chmod 600 "$env_file"
  run_arguments=(-d --name "$container" --restart unless-stopped -p "$HOST_PORT:$CONTAINER_PORT"
    --mount "type=bind,source=$env_file,target=${workdir%/}/.env,readonly")
  if [[ $ssl_mode == verify-* ]]; then
    run_arguments+=(--mount "type=bind,source=$ca_file,target=$CA_PATH_IN_CONTAINER,readonly")
  fi
  run_arguments+=(--cap-drop ALL --security-opt no-new-privileges)
  if [[ -n $log_group ]]; then
    # One stream per deploy; non-blocking, so a slow CloudWatch never holds up the API's writes.
    run_arguments+=(--log-driver awslogs --log-opt "awslogs-region=$region" --log-opt "awslogs-group=$log_group"
      --log-opt "awslogs-stream=$container/$instance_id/$(date -u +%Y%m%dT%H%M%SZ)"
      --log-opt mode=non-blocking --log-opt max-buffer-size=4m)
  else
    run_arguments+=(--log-opt max-size=10m --log-opt max-file=3)
  fi
}

# Healthy = HTTP 200 with "database":"ok" (and, when given, this instance's id, which the API only
# knows from the .env file: proof the file was read).
wait_until_healthy() {
  local expected_instance=$1 attempt status state body_file
  body_file=$(mktemp)
  for ((attempt = 1; attempt <= HEALTH_ATTEMPTS; attempt++)); do
    state=$(docker container inspect --format '{{.State.Status}} {{.RestartCount}}' "$container" 2>/dev/null || echo missing)
    if [[ $state != 'running 0' && $state != 'created 0' ]]; then
      log "the container is not running steadily (status and restarts: $state)"
      break
    fi
    status=$(curl -sS --max-time 5 -o "$body_file" -w '%{http_code}' "$HEALTH_URL" 2>/dev/null || true)
    health_body=$(<"$body_file")
    if [[ $status == 200 && $health_body =~ \"database\"[[:space:]]*:[[:space:]]*\"ok\" ]] &&
      [[ -z $expected_instance || $health_body =~ \"instance\"[[:space:]]*:[[:space:]]*\"$expected_instance\" ]]; then
      rm -f "$body_file"
      return 0
    fi
    sleep "$HEALTH_INTERVAL_SECONDS"
  done
  log "last health answer: HTTP ${status:-none} ${health_body:-}"
  if [[ -n $expected_instance && ${status:-} == 200 ]]; then
    log "the API does not report instance $expected_instance: it did not read the .env file mounted in its" \
      "working directory (an image ENV setting wins over it; without DB_HOST it falls back to SQLite)"
  fi
  rm -f "$body_file"
  return 1
}

roll_back() {
  log "the new container did not become healthy; its last log lines:"
  docker logs --tail 50 "$container" 2>&1 | sed 's/^/  | /' || true
  docker rm --force "$container" >/dev/null || true
  if [[ -z $previous_image_id ]]; then
    die "deploy of $image failed and there was no previous container to restore"
  fi
  docker rename "$backup" "$container"
  if [[ $previous_was_running == true ]]; then
    docker start "$container" >/dev/null
    if wait_until_healthy ''; then
      log "restored the previous container ($previous_image_id): $health_body"
    else
      log "restored the previous container ($previous_image_id), but it is not healthy either"
    fi
  fi
  die "deploy of $image failed; the previous container is back in place"
}

# Keeps the new image and the previous one (for a manual rollback); removes the repository's others.
remove_old_images() {
  local repository=${image%:*} tag id
  docker image ls --no-trunc --format '{{.Tag}} {{.ID}}' "$repository" | while read -r tag id; do
    [[ $id != "$new_image_id" && $id != "$previous_image_id" ]] || continue
    if [[ $tag == '<none>' ]]; then
      docker image rm "$id" >/dev/null 2>&1 || true
    else
      docker image rm "$repository:$tag" >/dev/null 2>&1 || true
    fi
  done
}

remove_old_env_files() {
  local file
  for file in "$STATE_DIR"/env/api.*.env; do
    [[ ! -e $file || $file == "$env_file" ]] || rm -f "$file"
  done
}

main() {
  parse_arguments "$@"
  backup="$container-previous"
  ca_file="$STATE_DIR/rds-global-bundle.pem"
  install -d -m 755 "$STATE_DIR"
  install -d -m 700 "$STATE_DIR/env"

  exec 9>"$STATE_DIR/deploy.lock"
  flock --wait 600 9 || die "another deploy is still running on this instance"

  if [[ -z $instance_id ]]; then
    instance_id=$(instance_id_from_metadata) || die "could not ask the instance metadata service for this instance's id"
    [[ $instance_id =~ ^i-[0-9a-f]{8,17}$ ]] || die "the instance metadata service gave no instance id (got '$instance_id')"
  fi
  log "deploying $image to $container on $instance_id"
  log_in_to_ecr || die "could not log in to the image's registry (does the instance role allow ECR pulls?)"
  docker pull --quiet "$image" >/dev/null || die "could not pull $image"
  new_image_id=$(docker image inspect --format '{{.Id}}' "$image")
  log "pulled $new_image_id"

  env_file=$(mktemp "$STATE_DIR/env/api.XXXXXXXX.env")
  trap 'rm -f "$env_file"' EXIT
  write_env_file
  fetch_rds_ca_bundle
  prepare_container_arguments

  recover_interrupted_deploy
  previous_image_id='' previous_image='' previous_was_running=false
  if container_exists "$container"; then
    previous_image_id=$(docker container inspect --format '{{.Image}}' "$container")
    previous_image=$(docker container inspect --format '{{.Config.Image}}' "$container")
    previous_was_running=$(docker container inspect --format '{{.State.Running}}' "$container")
    log "stopping the previous container ($previous_image_id)"
    docker stop --time 20 "$container" >/dev/null
    docker rename "$container" "$backup"
  fi

  if ! docker run "${run_arguments[@]}" "$image" >/dev/null; then roll_back; fi
  if ! wait_until_healthy "$instance_id"; then roll_back; fi
  trap - EXIT

  if [[ -n $previous_image_id ]]; then
    docker rm "$backup" >/dev/null || log "warning: could not remove $backup"
  fi
  remove_old_env_files
  remove_old_images || log "warning: could not remove old images"
  log "deployed $image ($new_image_id) with SEED=$seed"
  printf 'health: %s\n' "$health_body"
  # What the pipeline deploys again when the public check after this deploy fails.
  if [[ -n $previous_image ]]; then printf 'previous-image: %s\n' "$previous_image"; fi
}

main "$@"
