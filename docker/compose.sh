# Sourced by docker/deploy.sh, down.sh and the Makefile's logs/ps: the deploy's settings and a
# `compose` function that runs docker-compose.yml under this deploy's project name.
#
#   LB_PROJECT   compose project name (default customizable-lb)
#   LB_INSTANCE  the balancer's instance id, on every replica it starts as lb.instance (default lb1)
#   LB_NETWORK   the replicas' network (default net1)
#   LB_PORT      host port the balancer is published on (default 5000)
#   LB_MANAGEMENT_PORT  host port of /status, /metrics, /readyz, on 127.0.0.1 only (default 8404)
# docker-compose.yml reads more (LB_REPLICAS, LB_SPARES: warm spares beside them, LB_SLOTS,
# LB_VIRTUAL_SERVERS, LB_REPLICA_NAME_1..3,
# LB_ADMIN_TOKEN: the bearer token /add and /rm then need, ...).
source "$(dirname "${BASH_SOURCE[0]}")/docker-cli.sh"

export LB_PROJECT="${LB_PROJECT:-customizable-lb}"
export LB_INSTANCE="${LB_INSTANCE:-lb1}"
export LB_NETWORK="${LB_NETWORK:-net1}"
export LB_PORT="${LB_PORT:-5000}"
export LB_MANAGEMENT_PORT="${LB_MANAGEMENT_PORT:-8404}"
compose_file="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/docker-compose.yml"

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
