#!/usr/bin/env bash
# `make cluster`: three balancer nodes as three OS processes, one Akka.NET cluster, in the foreground.
#
#   node  HTTP                    management              remoting (Akka)
#   1     http://localhost:5000   http://127.0.0.1:8404   akka.tcp://balancer@127.0.0.1:4053
#   2     http://localhost:5001   http://127.0.0.1:8405   akka.tcp://balancer@127.0.0.1:4054
#   3     http://localhost:5002   http://127.0.0.1:8406   akka.tcp://balancer@127.0.0.1:4055
#
# Every node lists the three as seed nodes. Replicas are ReplicaServer processes that outlive the node that
# started them (the cluster's scheduler, a singleton, may move to another node); each carries this run's id
# in its environment (LB_PROCESS_INSTANCE), which is how this script finds them. Ctrl-C or SIGTERM stops
# every node by PID (SIGTERM, SIGKILL after CLUSTER_STOP_WAIT seconds), then every replica of this run by
# PID. A node that dies (kill -9 <pid>) leaves the others running; this script reports it and carries on.
#
#   CLUSTER_BINARY     the built Balancer.Web (default Balancer.Web/bin/Release/net10.0/Balancer.Web)
#   CLUSTER_LOGS       where the nodes and replicas write their logs (default artifacts/cluster/<run id>)
#   CLUSTER_STOP_WAIT  seconds a node gets to shut down before SIGKILL (default 30)
#   CLUSTER_ARGS       more settings for every node, e.g. "--Balancer:Replicas=5"
set -uo pipefail
cd "$(dirname "$0")/../.."

binary="${CLUSTER_BINARY:-$PWD/Balancer.Web/bin/Release/net10.0/Balancer.Web}"
run_id="cluster-$(date +%Y%m%d-%H%M%S)-$$"
logs="${CLUSTER_LOGS:-$PWD/artifacts/cluster/$run_id}"
stop_wait="${CLUSTER_STOP_WAIT:-30}"
read -r -a extra_args <<<"${CLUSTER_ARGS:-}"
http_ports=(5000 5001 5002)
management_ports=(8404 8405 8406)
remoting_ports=(4053 4054 4055)

if [[ ! -x "$binary" ]]; then
  echo "no balancer at $binary: run make build first" >&2
  exit 1
fi

mkdir -p "$logs"
node_pids=()

# The live replica processes of this run: their start environment carries the run id.
replicas_of_run() {
  local environ pid
  for environ in /proc/[0-9]*/environ; do
    pid=${environ#/proc/}
    pid=${pid%/environ}
    if grep -qzx "LB_PROCESS_INSTANCE=$run_id" "$environ" 2>/dev/null; then
      echo "$pid"
    fi
  done
}

alive() {
  kill -0 "$1" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# Waits until none of the given pids lives, at most $1 seconds; returns 1 if some still do.
wait_gone() {
  local seconds=$1 pid
  shift
  for _ in $(seq 1 $((seconds * 10))); do
    local any=0
    for pid in "$@"; do alive "$pid" && any=1; done
    ((any == 0)) && return 0
    sleep 0.1
  done
  return 1
}

stopping=0
stop_all() {
  ((stopping)) && return
  stopping=1
  trap '' INT TERM
  echo
  echo "stopping the nodes (${node_pids[*]})"
  local pid
  for pid in "${node_pids[@]}"; do alive "$pid" && kill -TERM "$pid" 2>/dev/null; done
  if ! wait_gone "$stop_wait" "${node_pids[@]}"; then
    for pid in "${node_pids[@]}"; do
      if alive "$pid"; then
        echo "node $pid did not stop within $stop_wait s: SIGKILL"
        kill -KILL "$pid" 2>/dev/null
      fi
    done
  fi
  wait 2>/dev/null
  # No node runs any more, so no replica starts any more: stop every one of this run.
  local replicas
  mapfile -t replicas < <(replicas_of_run)
  if ((${#replicas[@]})); then
    echo "stopping ${#replicas[@]} replica process(es) (${replicas[*]})"
    for pid in "${replicas[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    if ! wait_gone 10 "${replicas[@]}"; then
      mapfile -t replicas < <(replicas_of_run)
      for pid in "${replicas[@]}"; do kill -KILL "$pid" 2>/dev/null; done
    fi
  fi
  echo "stopped; logs in $logs"
  exit 0
}
trap stop_all INT TERM

seeds=()
for i in 0 1 2; do
  seeds+=("--Balancer:Cluster:SeedNodes:$i=akka.tcp://balancer@127.0.0.1:${remoting_ports[$i]}")
done

for i in 0 1 2; do
  node=$((i + 1))
  # Background jobs of a script ignore SIGINT: a Ctrl-C reaches this script only, which stops the nodes in order.
  "$binary" \
    "--urls=http://localhost:${http_ports[$i]}" \
    "--Balancer:Management:Urls=http://127.0.0.1:${management_ports[$i]}" \
    "--Balancer:Cluster:Hostname=127.0.0.1" \
    "--Balancer:Cluster:Port=${remoting_ports[$i]}" \
    "${seeds[@]}" \
    "--Balancer:Process:InstanceId=$run_id" \
    "--Balancer:ReplicaLogDirectory=$logs/replicas" \
    "${extra_args[@]}" \
    </dev/null >"$logs/node$node.log" 2>&1 &
  node_pids+=($!)
  echo "node $node: pid $! http://localhost:${http_ports[$i]} management http://127.0.0.1:${management_ports[$i]} remoting 127.0.0.1:${remoting_ports[$i]} (log $logs/node$node.log)"
done
echo "run id $run_id; Ctrl-C stops every node and every replica"

# Ready once every node's /rep answers with the replicas serving.
start=$SECONDS
ready=0
while ((SECONDS - start < 120)) && ((ready < 3)); do
  ready=0
  for i in 0 1 2; do
    if body=$(curl -fsS --max-time 2 "http://127.0.0.1:${http_ports[$i]}/rep" 2>/dev/null) && ! grep -q '"N":0,' <<<"$body"; then
      ready=$((ready + 1))
    fi
  done
  sleep 0.5 &
  wait $!
done
if ((ready == 3)); then
  echo "cluster up in $((SECONDS - start)) s: $(curl -fsS --max-time 2 http://127.0.0.1:5000/rep)"
else
  echo "only $ready of 3 nodes answer /rep with replicas after $((SECONDS - start)) s; see $logs" >&2
fi

# Foreground until Ctrl-C or TERM; a node that ends is reported and the others stay.
reported=()
while :; do
  for i in 0 1 2; do
    pid=${node_pids[$i]}
    if [[ -z "${reported[$i]:-}" ]] && ! alive "$pid"; then
      reported[$i]=1
      wait "$pid" 2>/dev/null
      echo "node $((i + 1)) (pid $pid) ended (exit status $?); the others keep running"
    fi
  done
  sleep 1 &
  wait $!
done
