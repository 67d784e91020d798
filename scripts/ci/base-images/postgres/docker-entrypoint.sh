#!/usr/bin/env bash
# The stand-in postgres image's entry point (see Dockerfile): on an empty PGDATA, make the cluster,
# the user and the database the POSTGRES_* variables name, then run the server in the foreground.
set -Eeuo pipefail

# `docker run IMAGE -c shared_buffers=…` passes options to the server.
if [[ ${1:-} == -* ]]; then set -- postgres "$@"; fi

if [[ ${1:-} != postgres ]]; then exec "$@"; fi
# `postgres --version` or `--help` only asks: no data folder needed.
for argument in "$@"; do
  case $argument in -V | --version | '-?' | --help | --describe-config | -C) exec "$@" ;; esac
done

# As root: hand the data folder to postgres (a fresh volume is root's), then start again as postgres.
if [[ $(id -u) == 0 ]]; then
  install -d -m 700 -o postgres -g postgres "$PGDATA"
  chown -R postgres:postgres "$PGDATA"
  install -d -m 2777 -o postgres -g postgres /var/run/postgresql
  exec gosu postgres "${BASH_SOURCE[0]}" "$@"
fi

initialise() {
  local user=${POSTGRES_USER:-postgres}
  local database=${POSTGRES_DB:-$user}
  local auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
  if [[ -z ${POSTGRES_PASSWORD:-} && $auth != trust ]]; then
    cat >&2 <<'MESSAGE'
Error: the database is uninitialised and POSTGRES_PASSWORD is not set.
Set POSTGRES_PASSWORD (docker run --env POSTGRES_PASSWORD=…), or POSTGRES_HOST_AUTH_METHOD=trust
to allow every connection without a password (never outside a throwaway container).
MESSAGE
    exit 1
  fi

  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of words, as for the official image.
  initdb --username="$user" --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD:-}") ${POSTGRES_INITDB_ARGS:-}
  printf '\nhost all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"

  # A server on the socket only while the database and the init scripts are made.
  pg_ctl --silent --wait --options="-c listen_addresses='' -p 5432" start
  sql() { psql --no-psqlrc --set ON_ERROR_STOP=1 --username "$user" "$@"; }
  if [[ $database != postgres ]]; then
    sql --dbname postgres --set database="$database" <<<'CREATE DATABASE :"database";'
  fi
  local script
  for script in /docker-entrypoint-initdb.d/*; do
    case $script in
      *.sql) echo "running $script"; sql --dbname "$database" --file "$script" ;;
      *.sh) echo "running $script"; # shellcheck disable=SC1090
        . "$script" ;;
      */\*) ;;
      *) echo "ignoring $script" ;;
    esac
  done
  pg_ctl --silent --wait --mode=fast stop
  echo 'PostgreSQL init process complete; ready for start up.'
}

if [[ ! -s $PGDATA/PG_VERSION ]]; then initialise; fi
exec "$@"
