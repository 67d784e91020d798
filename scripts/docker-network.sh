#!/usr/bin/env bash
# Workshop part 2 by hand: PostgreSQL, the API and the client as three containers on one Docker
# network. Prints every docker command before it runs it; --dry-run only prints them.
set -euo pipefail

# Docker Engine 20.10's own CLI builds with BuildKit (which the Dockerfiles need) only when asked.
export DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-1}

readonly NETWORK=rock-of-ages-network
readonly DB_CONTAINER=postgres-db
readonly API_CONTAINER=api-container
readonly CLIENT_CONTAINER=client-container
readonly API_IMAGE=rock-of-ages-api
readonly CLIENT_IMAGE=rock-of-ages-client
readonly POSTGRES_IMAGE=postgres:15
# Local-only values, the same as api/.env.local.example and docker-compose.yml.
readonly POSTGRES_DB=rockofages
readonly POSTGRES_USER=rockadmin
readonly POSTGRES_PASSWORD=localpassword123
# The host ports. PostgreSQL's is for tools on the host (psql, an editor) and may move: a machine
# with its own PostgreSQL already uses 5432. The browser calls the API on 8000 (the client's
# VITE_API_URL) and opens the client on 3000, the workshop's addresses.
readonly API_PORT=8000
readonly CLIENT_PORT=3000
POSTGRES_PORT=${POSTGRES_PORT:-5432}
# The browser, not the client container, calls the API: through the published port.
readonly BROWSER_API_URL=http://localhost:$API_PORT

usage() {
  cat <<'EOF'
Usage: scripts/docker-network.sh [--dry-run] up|down|status

  up       create rock-of-ages-network, start postgres-db, build and start api-container
           (with api/.env.local, or api/.env.local.example when there is none) and
           client-container
  down     remove the three containers and the network
  status   list the containers on the network

  --dry-run  print the docker commands without running them

  POSTGRES_PORT  the host port for PostgreSQL (default 5432), when that one is taken:
                 POSTGRES_PORT=5433 scripts/docker-network.sh up
EOF
}

dry_run=false

# One word as it could be typed: as it is when plain, else in single quotes.
quote() {
  if [[ $1 =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
    printf '%s' "$1"
  else
    printf "'%s'" "${1//\'/\'\\\'\'}"
  fi
}

# Prints a command as it could be typed.
show() {
  printf '+'
  for word in "$@"; do printf ' %s' "$(quote "$word")"; done
  printf '\n'
}

# Prints a command, then runs it unless this is a dry run.
run() {
  show "$@"
  if [[ $dry_run == false ]]; then "$@"; fi
}

# Prints a query, runs it (dry runs never ask) and keeps what it printed in $answer.
answer=""
ask() {
  show "$@"
  answer=$("$@")
}

# The same, for clean-up steps whose target may already be gone.
run_allowing_failure() {
  run "$@" || echo "(failed; carrying on, as it may already be gone)"
}

api_env_file() {
  if [[ -f api/.env.local ]]; then
    echo api/.env.local
  else
    echo "No api/.env.local: using api/.env.local.example" >&2
    echo api/.env.local.example
  fi
}

# Whether something on this machine accepts connections on the port (bash connects to it itself).
port_taken() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Every port `up` publishes must be free before it starts anything; says which are not, and why.
check_ports() {
  local taken=false port
  if port_taken "$POSTGRES_PORT"; then
    taken=true
    cat >&2 <<EOF
Port $POSTGRES_PORT is taken on this machine (by a PostgreSQL of its own, perhaps), so $DB_CONTAINER
cannot be published there. Choose another: POSTGRES_PORT=5433 scripts/docker-network.sh up
(then psql -h localhost -p 5433 -U $POSTGRES_USER -d $POSTGRES_DB; the containers still talk on 5432).
EOF
  fi
  for port in "$API_PORT" "$CLIENT_PORT"; do
    if port_taken "$port"; then
      taken=true
      cat >&2 <<EOF
Port $port is taken on this machine: the browser reaches the API on $API_PORT and the client on
$CLIENT_PORT, so stop what listens there (\`lsof -i :$port\` names it; it may be a container of
\`docker compose up\`: \`docker compose down\`) and run up again.
EOF
    fi
  done
  if [[ $taken == true ]]; then return 1; fi
}

# Containers or the network left by an earlier `up`, or by `docker compose up`, would clash.
check_leftovers() {
  local containers
  ask docker ps --all --filter "name=^/?($DB_CONTAINER|$API_CONTAINER|$CLIENT_CONTAINER)\$" --format '{{.Names}}'
  containers=$answer
  ask docker network ls --filter "name=^$NETWORK\$" --format '{{.Name}}'
  if [[ -n $containers || -n $answer ]]; then
    echo "Already there, from an earlier up or docker compose up: $(echo "$containers" "$answer" | xargs)" >&2
    echo "Remove them first: scripts/docker-network.sh down (or docker compose down)." >&2
    return 1
  fi
}

# What `up` has made so far, newest last, for undoing it when a later step fails.
made_containers=()
made_network=false

undo_up() {
  local status=$? index
  if [[ $status -eq 0 ]]; then return; fi
  echo "up failed: removing what it made" >&2
  for ((index = ${#made_containers[@]} - 1; index >= 0; index--)); do
    run_allowing_failure docker rm --force --volumes "${made_containers[index]}"
  done
  if [[ $made_network == true ]]; then run_allowing_failure docker network rm "$NETWORK"; fi
  exit "$status"
}

up() {
  local env_file
  env_file=$(api_env_file)
  if [[ $dry_run == false ]]; then
    check_leftovers
    check_ports
    trap undo_up EXIT
  fi
  run docker network create "$NETWORK"
  made_network=true
  # None of these existed (checked above), so even a container a failed `run` left half-made is ours.
  made_containers+=("$DB_CONTAINER")
  run docker run --detach --name "$DB_CONTAINER" --network "$NETWORK" \
    --env POSTGRES_DB="$POSTGRES_DB" --env POSTGRES_USER="$POSTGRES_USER" \
    --env POSTGRES_PASSWORD="$POSTGRES_PASSWORD" --publish "$POSTGRES_PORT:5432" "$POSTGRES_IMAGE"
  run docker build --file api/Dockerfile --tag "$API_IMAGE" .
  # The API waits for the database to accept connections, then migrates, seeds and serves.
  made_containers+=("$API_CONTAINER")
  run docker run --detach --name "$API_CONTAINER" --network "$NETWORK" \
    --env-file "$env_file" --publish "$API_PORT:8000" "$API_IMAGE"
  run docker build --file client/Dockerfile --target development --tag "$CLIENT_IMAGE" .
  made_containers+=("$CLIENT_CONTAINER")
  run docker run --detach --name "$CLIENT_CONTAINER" --network "$NETWORK" \
    --env VITE_API_URL="$BROWSER_API_URL" --publish "$CLIENT_PORT:3000" "$CLIENT_IMAGE"
  trap - EXIT
  cat <<EOF

Client: http://localhost:$CLIENT_PORT   API: $BROWSER_API_URL/health
Logs:   docker logs -f $API_CONTAINER
Data:   docker exec -it $DB_CONTAINER psql -U $POSTGRES_USER -d $POSTGRES_DB
        (from the host: psql -h localhost -p $POSTGRES_PORT -U $POSTGRES_USER -d $POSTGRES_DB)
EOF
}

down() {
  run_allowing_failure docker rm --force --volumes "$CLIENT_CONTAINER" "$API_CONTAINER" "$DB_CONTAINER"
  run_allowing_failure docker network rm "$NETWORK"
}

status() {
  run docker ps --all --filter "network=$NETWORK" \
    --format 'table {{.Names}}\t{{.Image}}\t{{.Status}}\t{{.Ports}}'
}

main() {
  local command=""
  for argument in "$@"; do
    case $argument in
      --dry-run) dry_run=true ;;
      -h | --help) usage; return 0 ;;
      up | down | status)
        if [[ -n $command ]]; then usage >&2; return 2; fi
        command=$argument
        ;;
      *) usage >&2; return 2 ;;
    esac
  done
  if [[ -z $command ]]; then usage >&2; return 2; fi
  if [[ ! $POSTGRES_PORT =~ ^[0-9]+$ ]] || ((10#$POSTGRES_PORT < 1 || 10#$POSTGRES_PORT > 65535)); then
    echo "POSTGRES_PORT must be a port number (1-65535), not \"$POSTGRES_PORT\"" >&2
    return 2
  fi
  # The images build from the repository root, where the npm workspaces' lock file is.
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  "$command"
}

main "$@"
