# Sourced by docker/deploy.sh, down.sh and the Makefile's logs/ps: the deploy's settings and a
# `compose` function that runs docker-compose.yml under this deploy's project name.
#
#   LB_PROJECT   compose project name (default customizable-lb)
#   LB_INSTANCE  the balancer's instance id, on every replica it starts as lb.instance (default lb1)
#   LB_NETWORK   the replicas' network (default net1)
#   LB_PORT      host port the balancer is published on (default 5000)
#   LB_MANAGEMENT_PORT  host port of /status, /metrics, /readyz, on 127.0.0.1 only (default 8404)
#   LB_NODES     1 (default: docker-compose.yml, one balancer) or 3 (docker-compose.cluster.yml: three
#                nodes as one cluster, on LB_PORT_1..3 and LB_MANAGEMENT_PORT_1..3, by default LB_PORT + 0..2
#                and LB_MANAGEMENT_PORT + 0..2); make passes NODES as LB_NODES
# docker-compose.yml reads more (LB_REPLICAS, LB_SPARES: warm spares beside them, LB_SLOTS,
# LB_VIRTUAL_SERVERS, LB_REPLICA_NAME_1..3,
# LB_ADMIN_TOKEN: the bearer token /add and /rm then need, ...).
source "$(dirname "${BASH_SOURCE[0]}")/docker-cli.sh"

export LB_PROJECT="${LB_PROJECT:-customizable-lb}"
export LB_INSTANCE="${LB_INSTANCE:-lb1}"
export LB_NETWORK="${LB_NETWORK:-net1}"
export LB_PORT="${LB_PORT:-5000}"
export LB_MANAGEMENT_PORT="${LB_MANAGEMENT_PORT:-8404}"
export LB_NODES="${LB_NODES:-1}"
docker_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case "$LB_NODES" in
  1) compose_file="$docker_dir/docker-compose.yml" ;;
  3)
    compose_file="$docker_dir/docker-compose.cluster.yml"
    for i in 1 2 3; do
      port_var="LB_PORT_$i" management_var="LB_MANAGEMENT_PORT_$i"
      export "$port_var=${!port_var:-$((LB_PORT + i - 1))}"
      export "$management_var=${!management_var:-$((LB_MANAGEMENT_PORT + i - 1))}"
    done
    ;;
  *)
    echo "NODES must be 1 or 3, got '$LB_NODES'" >&2
    exit 1
    ;;
esac

# The HTTP ports of the deploy's nodes, one a line: what deploy.sh waits on.
node_ports() {
  if [[ "$LB_NODES" == 3 ]]; then
    echo "$LB_PORT_1" "$LB_PORT_2" "$LB_PORT_3"
  else
    echo "$LB_PORT"
  fi
}

# Compose v2 is a plugin of the docker client (`docker compose`); Debian ships v1 (`docker-compose`).
# Whichever answers first is used; COMPOSE overrides the choice (e.g. COMPOSE="docker-compose").
if [[ -n "${COMPOSE:-}" ]]; then
  read -r -a compose_cmd <<<"$COMPOSE"
elif docker_cli compose version >/dev/null 2>&1; then
  compose_cmd=("${docker_cmd[@]}" compose)
elif command -v docker >/dev/null && docker compose version >/dev/null 2>&1; then
  compose_cmd=(docker compose)
elif command -v docker-compose >/dev/null; then
  compose_cmd=(docker-compose)
else
  echo "neither 'docker compose' (v2) nor 'docker-compose' (v1) is installed" >&2
  exit 1
fi

compose() {
  "${compose_cmd[@]}" -p "$LB_PROJECT" -f "$compose_file" "$@"
}
