#!/usr/bin/env bash
# Builds Conduit's container image with podman:  deploy/image/build.sh [IMAGE]   (conduit:latest)
#
# The Containerfile builds on eclipse-temurin images. Where they cannot be pulled (no registry
# reachable), this script first makes local base images from Debian packages with mmdebstrap (a
# minimal bookworm with OpenJDK 17 and curl, about 90 s each, once) and builds on those.
# Needs: podman, runc; mmdebstrap and uidmap for the local bases
#   (apt-get install -y podman runc mmdebstrap uidmap).
# CONDUIT_BUILD_IMAGE / CONDUIT_BASE_IMAGE choose other bases; the local Maven repository
# (~/.m2) is lent to the build so dependencies are not downloaded again.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
image="${1:-conduit:latest}"
build_image="${CONDUIT_BUILD_IMAGE:-eclipse-temurin:17-jdk}"
base_image="${CONDUIT_BASE_IMAGE:-eclipse-temurin:17-jre}"

log() { printf '[build] %s\n' "$*" >&2; }

# Makes localhost/NAME from Debian bookworm packages unless it exists already.
local_base() {
  local name="$1" packages="$2"
  if podman image exists "localhost/$name"; then
    echo "localhost/$name"
    return
  fi
  command -v mmdebstrap >/dev/null 2>&1 || {
    log "mmdebstrap is missing (apt-get install -y mmdebstrap uidmap)"
    exit 1
  }
  local tar
  tar=$(mktemp --suffix=.tar)
  log "making localhost/$name from Debian packages ($packages)"
  mmdebstrap --quiet --variant=apt --include="$packages" bookworm "$tar" \
    /etc/apt/sources.list.d/debian.sources >&2
  podman import "$tar" "localhost/$name" >/dev/null
  rm -f "$tar"
  echo "localhost/$name"
}

# The image itself if it is here or can be pulled, else a local one made from Debian packages.
usable() {
  local wanted="$1" fallback="$2" packages="$3"
  if podman image exists "$wanted" || timeout 60 podman pull -q "$wanted" >/dev/null 2>&1; then
    echo "$wanted"
  else
    log "$wanted cannot be pulled here"
    local_base "$fallback" "$packages"
  fi
}

build_image=$(usable "$build_image" conduit-build-base:bookworm \
  "openjdk-17-jdk-headless,ca-certificates,curl")
base_image=$(usable "$base_image" conduit-runtime-base:bookworm \
  "openjdk-17-jre-headless,ca-certificates,curl,passwd")

mkdir -p "$HOME/.m2"
log "building $image on $base_image (build stage: $build_image)"
podman build \
  --network host \
  --format docker \
  --volume "$HOME/.m2:/root/.m2" \
  --build-arg "BUILD_IMAGE=$build_image" \
  --build-arg "BASE_IMAGE=$base_image" \
  --file "$root/deploy/image/Containerfile" \
  --tag "$image" \
  "$root"
log "built $image"
