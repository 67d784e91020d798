#!/bin/sh
# As the official node image's entry point: `docker run IMAGE -e '…'` or `docker run IMAGE app.js`
# runs node with those arguments; a command (`sh`, `npm`, `node …`) runs as it is.
set -e
if [ "${1#-}" != "$1" ] || ! command -v "$1" >/dev/null 2>&1 || { [ -f "$1" ] && [ ! -x "$1" ]; }; then
  set -- node "$@"
fi
exec "$@"
