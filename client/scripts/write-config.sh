#!/bin/sh
# Writes the client's run-time settings, config.json, into a built client folder (the one holding
# index.html), so that one build serves every environment:
#
#   API_URL=https://api.example.com write-config.sh client/dist   ->  {"apiUrl":"https://api.example.com"}
#   API_URL=/api write-config.sh /usr/share/nginx/html             ->  {"apiUrl":"/api"} (same origin)
#   write-config.sh client/dist   (API_URL unset or empty)          ->  config.json removed: the client's
#                                                                       default, /api on its own origin
#
# The folder is the first argument, else $CLIENT_DIR (for an image's start-up hook, which passes none).
# POSIX sh, so that it runs in the nginx:alpine image as well as on a CI runner. A value that is not an
# http(s) URL or a path ends it with exit code 1 and nothing written.
set -eu

dir=${1:-${CLIENT_DIR:-}}
if [ -z "$dir" ] || [ ! -f "$dir/index.html" ]; then
  echo "write-config.sh: '$dir' is not a built client (no index.html); pass the folder or set CLIENT_DIR" >&2
  exit 1
fi
target=$dir/config.json
api_url=${API_URL:-}

if [ -z "$api_url" ]; then
  rm -f "$target"
  echo "write-config.sh: API_URL is not set; the client calls /api on its own origin"
  exit 0
fi

# Only characters that need no escaping in JSON, and the shapes the client accepts.
if ! printf '%s' "$api_url" | grep -Eq '^(https?://[^/[:space:][:cntrl:]"\\]+|/[^/[:space:][:cntrl:]"\\])[^[:space:][:cntrl:]"\\]*$|^/$'; then
  echo "write-config.sh: API_URL must be an http(s) URL, such as https://api.example.com, or a path on the client's own site, such as /api (got '$api_url')" >&2
  exit 1
fi
while [ "${api_url%/}" != "$api_url" ] && [ "$api_url" != / ]; do api_url=${api_url%/}; done

# Written beside and then moved into place, so that no visitor ever reads half a file.
printf '{"apiUrl":"%s"}\n' "$api_url" >"$target.tmp"
mv "$target.tmp" "$target"
echo "write-config.sh: the client calls the API at $api_url ($target)"
