#!/usr/bin/env bash
# Builds the project's Docker images without a registry: publishes each app on the host, makes sure
# the ASP.NET Core base image is there (a local stand-in when it cannot be pulled), then builds each
# image with the publish output as its context.
#
#   REPLICA_IMAGE   tag of the replica image (default lb-replica:latest, the Docker runtime's default)
#   BALANCER_IMAGE  tag of the balancer image (default lb-balancer:latest, what docker-compose.yml runs)
set -euo pipefail
cd "$(dirname "$0")/.."
source docker/docker-cli.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
replica_image="${REPLICA_IMAGE:-lb-replica:latest}"
balancer_image="${BALANCER_IMAGE:-lb-balancer:latest}"

# publish_and_build PROJECT DOCKERFILE TAG: one app, one image.
publish_and_build() {
  local project=$1 dockerfile=$2 tag=$3
  local out="$PWD/artifacts/publish/$project"
  rm -rf "$out"
  dotnet publish "$project" -c Release -o "$out" --nologo -v quiet -p:UseAppHost=false
  local previous
  previous=$(docker_cli images -q "$tag")
  docker_cli build --quiet -f "$dockerfile" -t "$tag" "$out" >/dev/null
  # A rebuild leaves the old image untagged; drop it so repeated builds do not fill the disk
  # (it stays if a container still uses it).
  if [[ -n "$previous" && "$previous" != "$(docker_cli images -q "$tag")" ]]; then
    docker_cli rmi "$previous" >/dev/null 2>&1 || true
  fi
  echo "built image $tag from $project"
}

bash docker/build-base-image.sh
publish_and_build ReplicaServer docker/replica.Dockerfile "$replica_image"
publish_and_build Balancer.Web docker/balancer.Dockerfile "$balancer_image"
