#!/bin/sh
# As the official nginx image's entry point: when the command is nginx, each executable *.sh in
# /docker-entrypoint.d/ runs first, in name order, and a failing one stops the container.
set -e
if [ "$1" = nginx ] || [ "$1" = nginx-debug ]; then
  for script in /docker-entrypoint.d/*.sh; do
    [ -x "$script" ] || continue
    echo "$0: running $script"
    "$script"
  done
fi
exec "$@"
