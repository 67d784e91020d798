#!/usr/bin/env bash
# Workshop part 2 by hand: PostgreSQL, the API and the client as three containers on one Docker
# network. Prints every docker command before it runs it; --dry-run only prints them.
set -euo pipefail

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
# The browser, not the client container, calls the API: through the published port.
readonly BROWSER_API_URL=http://localhost:8000

usage() {
  cat <<'EOF'
Usage: scripts/docker-network.sh [--dry-run] up|down|status

  up       create rock-of-ages-network, start postgres-db, build and start api-container
           (with api/.env.local, or api/.env.local.example when there is none) and
           client-container
  down     remove the three containers and the network
  status   list the containers on the network

  --dry-run  print the docker commands without running them
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

# Prints a command as it could be typed, then runs it unless this is a dry run.
run() {
  printf '+'
  for word in "$@"; do printf ' %s' "$(quote "$word")"; done
  printf '\n'
  if [[ $dry_run == false ]]; then "$@"; fi
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

up() {
  local env_file
  env_file=$(api_env_file)
  run docker network create "$NETWORK"
  run docker run --detach --name "$DB_CONTAINER" --network "$NETWORK" \
    --env POSTGRES_DB="$POSTGRES_DB" --env POSTGRES_USER="$POSTGRES_USER" \
    --env POSTGRES_PASSWORD="$POSTGRES_PASSWORD" --publish 5432:5432 "$POSTGRES_IMAGE"
  run docker build --file api/Dockerfile --tag "$API_IMAGE" .
  # The API waits for the database to accept connections, then migrates, seeds and serves.
  run docker run --detach --name "$API_CONTAINER" --network "$NETWORK" \
    --env-file "$env_file" --publish 8000:8000 "$API_IMAGE"
  run docker build --file client/Dockerfile --target development --tag "$CLIENT_IMAGE" .
  run docker run --detach --name "$CLIENT_CONTAINER" --network "$NETWORK" \
    --env VITE_API_URL="$BROWSER_API_URL" --publish 3000:3000 "$CLIENT_IMAGE"
  cat <<EOF

Client: http://localhost:3000   API: $BROWSER_API_URL/health
Logs:   docker logs -f $API_CONTAINER
Data:   docker exec -it $DB_CONTAINER psql -U $POSTGRES_USER -d $POSTGRES_DB
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
  # The images build from the repository root, where the npm workspaces' lock file is.
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  "$command"
}

main "$@"
