#!/usr/bin/env bash
# Replaces the API container on this EC2 instance with a new image, waits until /health reports the
# database as up, and puts the previous container back if it never does.
#
# The Deploy API workflow sends this script through AWS Systems Manager; it runs as root. The database
# settings come from SecureString parameters in Parameter Store and reach the API as the `.env` file in
# its working directory, mounted read-only from a file only root and the container's user can read. So
# no secret is ever a command-line argument (the process list) or a container variable (`docker inspect`).
#
# Usage: deploy-api.sh --image REGISTRY/REPOSITORY:TAG --region REGION --parameter-prefix /rock-of-ages/api/
#                      --instance-id i-0123456789abcdef0 [--ssl-mode verify-full] [--container-name NAME]
# Environment (for testing it elsewhere): DEPLOY_STATE_DIR (/etc/rock-of-ages), HEALTH_URL
# (http://127.0.0.1:80/health), HEALTH_ATTEMPTS (40), HEALTH_INTERVAL_SECONDS (3).
set -euo pipefail
umask 077

readonly DB_SETTINGS=(DB_NAME DB_USER DB_PASSWORD DB_HOST DB_PORT)
readonly SSL_MODES='disable require verify-ca verify-full'
readonly HOST_PORT=80 CONTAINER_PORT=8000
readonly RDS_CA_URL=https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem
readonly CA_PATH_IN_CONTAINER=/etc/rock-of-ages/rds-global-bundle.pem

readonly STATE_DIR=${DEPLOY_STATE_DIR:-/etc/rock-of-ages}
readonly HEALTH_URL=${HEALTH_URL:-http://127.0.0.1:$HOST_PORT/health}
readonly HEALTH_ATTEMPTS=${HEALTH_ATTEMPTS:-40}
readonly HEALTH_INTERVAL_SECONDS=${HEALTH_INTERVAL_SECONDS:-3}

log() { printf '[deploy] %s\n' "$*"; }
die() {
  printf '[deploy] error: %s\n' "$*" >&2
  exit 1
}

image='' region='' prefix='' instance_id='' ssl_mode=verify-full container=rock-of-ages-api

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
      *) die "unknown option $1" ;;
    esac
    shift 2
  done
  [[ $image =~ ^[^[:space:]@]+/[^[:space:]@]+:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] ||
    die "--image must be REGISTRY/REPOSITORY:TAG (got '$image')"
  [[ $region =~ ^[a-z]{2}(-[a-z]+)+-[0-9]$ ]] || die "--region must be an AWS region such as us-east-2 (got '$region')"
  [[ $prefix =~ ^/[A-Za-z0-9_./-]*/$ ]] || die "--parameter-prefix must start and end with / (got '$prefix')"
  [[ $instance_id =~ ^i-[0-9a-f]{8,17}$ ]] || die "--instance-id must be an EC2 instance id (got '$instance_id')"
  [[ " $SSL_MODES " == *" $ssl_mode "* ]] || die "--ssl-mode must be one of: $SSL_MODES (got '$ssl_mode')"
  [[ $container =~ ^[a-zA-Z0-9][a-zA-Z0-9_.-]+$ ]] || die "--container-name is not a valid container name"
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

# Writes every setting the API needs into $env_file. printf is a shell builtin: values never reach
# another process's arguments.
write_env_file() {
  local name value
  for name in "${DB_SETTINGS[@]}"; do
    value=$(read_parameter "$name") || die "could not read $prefix$name (does the instance role allow ssm:GetParameters on it?)"
    [[ -n $value ]] || die "parameter $prefix$name is missing (the Deploy API workflow stores it from the $name secret)"
    [[ $name != DB_PORT || $value =~ ^[0-9]{1,5}$ ]] || die "$prefix$name must be a port number"
    dotenv_line "$name" "$value"
  done >"$env_file"
  {
    dotenv_line SSLMODE "$ssl_mode"
    [[ $ssl_mode != verify-* ]] || dotenv_line DB_SSLROOTCERT "$CA_PATH_IN_CONTAINER"
    dotenv_line INSTANCE_ID "$instance_id"
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
  run_arguments+=(--cap-drop ALL --security-opt no-new-privileges --log-opt max-size=10m --log-opt max-file=3)
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
  previous_image_id='' previous_was_running=false
  if container_exists "$container"; then
    previous_image_id=$(docker container inspect --format '{{.Image}}' "$container")
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
  log "deployed $image ($new_image_id)"
  printf 'health: %s\n' "$health_body"
}

main "$@"
