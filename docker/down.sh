#!/usr/bin/env bash
# `make down`: stops the balancer (every node of a NODES=3 deploy) first (it leaves its replicas running, for adoption), then removes
# every replica container carrying this deploy's instance label, then the balancer and the network.
# In that order because a balancer still running would replace the replicas, and a network with
# containers on it cannot be removed. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
source docker/compose.sh

# Every balancer node of the project, however many the deploy had (by compose's own label, so a cluster
# deploy goes down whichever NODES this run is given).
nodes=$(docker_cli ps -q --filter "label=com.docker.compose.project=$LB_PROJECT")
if [[ -n "$nodes" ]]; then
  # shellcheck disable=SC2086 # one id a word
  docker_cli stop --time 30 $nodes >/dev/null 2>&1 || true
fi

replicas=$(docker_cli ps -aq \
  --filter "label=lb.managed-by=customizable-lb" --filter "label=lb.instance=$LB_INSTANCE")
if [[ -n "$replicas" ]]; then
  # shellcheck disable=SC2086 # one id a word
  docker_cli rm -f $replicas >/dev/null
  echo "removed $(wc -w <<<"$replicas") replica container(s) of instance $LB_INSTANCE"
fi

# --remove-orphans: the containers of services the chosen file does not have (the other NODES) go too.
compose down --remove-orphans --timeout 30
# Compose leaves a network it did not create (e.g. one the balancer made before compose ran): remove
# it too when nothing is on it any more; a network someone else still uses stays, with a warning.
if docker_cli network inspect "$LB_NETWORK" >/dev/null 2>&1; then
  docker_cli network rm "$LB_NETWORK" >/dev/null || echo "network $LB_NETWORK is still in use: left in place" >&2
fi
