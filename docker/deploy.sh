#!/usr/bin/env bash
# `make deploy`: builds what is needed (publish, stand-in base image if needed, images), brings the
# stack up, and waits until GET /rep on the published port lists the N replicas serving (and, with
# LB_SPARES, until the spare containers run beside them). With LB_NODES=3 (make deploy NODES=3): three
# nodes, and it waits until each node's /rep lists the N.
#
#   LB_SKIP_BUILD=1  use the images as they are (the end-to-end test: CI built them already)
#   LB_WAIT          seconds to wait for /rep (default 120)
#   LB_SPARES        warm spares (Balancer__Spares, default 0), passed to the balancer by the compose file
# and the LB_* settings of docker/compose.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source docker/compose.sh

start=$SECONDS
if [[ "${LB_SKIP_BUILD:-0}" != 1 ]]; then
  bash docker/build-images.sh
fi

# The group that owns the socket on this host, for the balancer's non-root user (see balancer.Dockerfile).
export LB_DOCKER_GID="${LB_DOCKER_GID:-$(stat -c %g /var/run/docker.sock)}"
compose up -d --no-build

read -r -a ports <<<"$(node_ports)"
# /rep answers as soon as the balancer listens; replicas appear in it once they serve (on every node).
serving="\"N\":${LB_REPLICAS:-3},"
all_nodes_serve() {
  local port
  for port in "${ports[@]}"; do
    replicas=$(curl -fsS --max-time 2 "http://127.0.0.1:$port/rep" 2>/dev/null) && grep -qF "$serving" <<<"$replicas" || return 1
  done
}
# Spares are not in /rep: they are this instance's containers beyond the N (a spare starts with them).
containers=$((${LB_REPLICAS:-3} + ${LB_SPARES:-0}))
running_containers() {
  docker_cli ps -q --filter "label=lb.managed-by=customizable-lb" --filter "label=lb.instance=$LB_INSTANCE" | wc -l
}
for _ in $(seq 1 "$((${LB_WAIT:-120} * 4))"); do
  if all_nodes_serve &&
    { [[ "${LB_SPARES:-0}" == 0 ]] || (( $(running_containers) >= containers )); }; then
    echo "deployed ($LB_PROJECT, instance $LB_INSTANCE, network $LB_NETWORK, $LB_NODES node(s) on port(s) ${ports[*]}) in $((SECONDS - start)) s: $replicas"
    echo "status page: http://127.0.0.1:$LB_MANAGEMENT_PORT/status (metrics: /metrics)"
    exit 0
  fi
  sleep 0.25
done
echo "not every node (ports ${ports[*]}) listed the N replicas on /rep within ${LB_WAIT:-120} s; the log ends with:" >&2
compose logs --tail 30 >&2 || true
exit 1
