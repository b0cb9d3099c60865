#!/usr/bin/env bash
# `make bench-proxy`: the balancer, HAProxy and nginx side by side over the same three replicas.
#
# The balancer runs as `make run` ships it (its appsettings.json: metrics, ejection and logging on) and
# starts its three ReplicaServer processes; HAProxy and nginx are pointed at those very replicas. Each
# round runs wrk against every proxy in turn (the order rotates), so the machine's drift hits all three
# alike. CPU is utime + stime of the proxy's own processes (/proc/<pid>/stat, nginx's workers included),
# replicas and wrk excluded, divided by the requests wrk completed.
#
#   ROUNDS=5 DURATION=10 CONNECTIONS=32 bash Experiments/BenchProxy/bench-proxy.sh
#   BALANCER_ARGS="--Balancer:Health:Enabled=false"   extra settings for the balancer (default: none)
#   BENCH_OUT=results/bench-proxy                     where the table and the raw rounds go
#   BEFORE_DIR=<folder with an older Balancer.Web build>  also measures that build ("before"), with replicas of its own
set -euo pipefail
cd "$(dirname "$0")/../.."

rounds=${ROUNDS:-5}
duration=${DURATION:-10}
connections=${CONNECTIONS:-32}
out=${BENCH_OUT:-results/bench-proxy}
logs=${BENCH_LOGS:-artifacts/bench-proxy}
balancer_port=${BALANCER_PORT:-15080}
haproxy_port=${HAPROXY_PORT:-15081}
nginx_port=${NGINX_PORT:-15082}
management_port=${MANAGEMENT_PORT:-15404}
here=Experiments/BenchProxy
work=$(mktemp -d /tmp/bench-proxy.XXXXXX)
mkdir -p "$out" "$logs" "$work"/{body,proxy,fastcgi,uwsgi,scgi}

missing=()
for tool in haproxy:haproxy nginx:nginx-light wrk:wrk jq:jq; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || [[ -x /usr/sbin/${tool%%:*} ]] || missing+=("${tool##*:}")
done
if ((${#missing[@]})); then
  echo "installing ${missing[*]} from Debian's packages"
  apt-get update -qq >"$work/apt.log" 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >>"$work/apt.log" 2>&1
fi
export PATH="$PATH:/usr/sbin"

pids=()
stop_all() {
  # Every server this script started, by the PID it recorded; the balancer stops its replicas on TERM.
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap stop_all EXIT INT TERM

dotnet build Balancer.Web -c Release -v quiet -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
balancer_dir=Balancer.Web/bin/Release/net10.0

start_balancer() { # folder, port, management port, log
  (cd "$1" && exec ./Balancer.Web --urls "http://127.0.0.1:$2" --Balancer:Management:Urls="http://127.0.0.1:$3" ${BALANCER_ARGS:-}) >"$4" 2>&1 &
  pids+=("$!")
}

# The status document once three replicas serve behind the balancer on that management port.
serving_status() {
  local status
  for _ in $(seq 1 240); do
    if status=$(curl -fsS --max-time 2 "http://127.0.0.1:$1/status.json" 2>/dev/null) &&
      [[ $(jq '[.replicas[] | select(.state == "serving")] | length' <<<"$status") -ge 3 ]]; then
      printf '%s' "$status"
      return 0
    fi
    sleep 0.25
  done
  return 1
}

start_balancer "$balancer_dir" "$balancer_port" "$management_port" "$logs/balancer.log"
balancer_pid=${pids[-1]}
status=$(serving_status "$management_port") || { echo "the balancer did not serve three replicas; see $logs/balancer.log" >&2; exit 1; }
proxies=(balancer haproxy nginx)
if [[ -n ${BEFORE_DIR:-} ]]; then
  start_balancer "$BEFORE_DIR" $((balancer_port + 3)) $((management_port + 1)) "$logs/before.log"
  before_pid=${pids[-1]}
  serving_status $((management_port + 1)) >/dev/null || { echo "the build in $BEFORE_DIR did not serve; see $logs/before.log" >&2; exit 1; }
  proxies+=(before)
fi
mapfile -t replicas < <(jq -r '.replicas[] | select(.state == "serving") | "\(.name) \(.address)"' <<<"$status")

haproxy_servers="" nginx_servers=""
for line in "${replicas[@]}"; do
  name=${line%% *} address=${line#* }
  hostport=${address#http://}
  hostport=${hostport%/}
  haproxy_servers+="    server $name $hostport"$'\n'
  nginx_servers+="        server $hostport;"$'\n'
done
fill() { # template, servers, port
  local text
  text=$(<"$1")
  text=${text//@SERVERS@/$2}
  text=${text//@PORT@/$3}
  text=${text//@DIR@/$work}
  printf '%s\n' "$text"
}
fill "$here/haproxy.cfg.template" "$haproxy_servers" "$haproxy_port" >"$work/haproxy.cfg"
fill "$here/nginx.conf.template" "$nginx_servers" "$nginx_port" >"$work/nginx.conf"

haproxy -f "$work/haproxy.cfg" -db >"$logs/haproxy.log" 2>&1 &
haproxy_pid=$!
pids+=("$haproxy_pid")
nginx -p "$work" -c "$work/nginx.conf" >"$logs/nginx.log" 2>&1 &
nginx_pid=$!
pids+=("$nginx_pid")

declare -A port_of=([balancer]=$balancer_port [haproxy]=$haproxy_port [nginx]=$nginx_port [before]=$((balancer_port + 3)))
declare -A pid_of=([balancer]=$balancer_pid [haproxy]=$haproxy_pid [nginx]=$nginx_pid [before]=${before_pid:-})
for proxy in "${proxies[@]}"; do
  for _ in $(seq 1 100); do
    curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:${port_of[$proxy]}/home?id=1" 2>/dev/null && break
    sleep 0.1
  done
done

# utime + stime (clock ticks) of a proxy's processes: nginx's master and its workers; the balancer and
# HAProxy are one process each (all threads), and the balancer's children are the replicas.
cpu_ticks() {
  local total=0 pid fields processes=("${pid_of[$1]}")
  [[ $1 == nginx ]] && processes+=($(cat /proc/"${pid_of[$1]}"/task/*/children 2>/dev/null))
  for pid in "${processes[@]}"; do
    fields=$(sed 's/^.*) //' /proc/"$pid"/stat 2>/dev/null) || continue
    read -r -a stat <<<"$fields"
    # After the command name: field 3 is the state, so utime and stime (fields 14, 15) sit at 11 and 12.
    total=$((total + stat[11] + stat[12]))
  done
  echo "$total"
}
tick_us=$((1000000 / $(getconf CLK_TCK)))

# wrk's 99th percentile in milliseconds, from its latency distribution ("99%   12.34ms").
p99_ms() {
  awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; print v }' "$1"
}

# A balancer's own count of a metric on its management port (summed over its series).
balancer_metric() { # management port, metric
  curl -fsS --max-time 5 "http://127.0.0.1:$1/metrics" | awk -v name="$2" 'index($1, name) == 1 { total += $2 } END { printf "%.0f", total }'
}

run_wrk() { # proxy, seconds, report file
  wrk -t1 -c"$connections" -d"$2"s --latency -s "$here/random-id.lua" "http://127.0.0.1:${port_of[$1]}/home" >"$3" 2>&1
}

# The balancer's JIT needs a while under load before its hot paths are fully optimized (tiered compilation).
echo "warming up: the balancer ${WARMUP:-20} s (JIT tiers, connection pools), HAProxy and nginx 5 s"
for proxy in "${proxies[@]}"; do
  case $proxy in balancer | before) run_wrk "$proxy" "${WARMUP:-20}" "$work/warmup.txt" ;; *) run_wrk "$proxy" 5 "$work/warmup.txt" ;; esac
done

raw="$out/rounds.tsv"
printf 'round\tproxy\trequests\trequests_per_s\tp99_ms\tcpu_us_per_request\terrors\tbytes_allocated_per_request\n' >"$raw"
order=("${proxies[@]}")
for round in $(seq 1 "$rounds"); do
  for proxy in "${order[@]}"; do
    report="$work/$proxy-$round.txt"
    [[ $proxy == balancer ]] && allocated_before=$(balancer_metric "$management_port" dotnet_gc_heap_total_allocated_bytes_total)
    [[ $proxy == before ]] && allocated_before=$(balancer_metric $((management_port + 1)) dotnet_gc_heap_total_allocated_bytes_total)
    before=$(cpu_ticks "$proxy")
    run_wrk "$proxy" "$duration" "$report"
    after=$(cpu_ticks "$proxy")
    requests=$(awk '/requests in/ { print $1 }' "$report")
    allocated=-
    [[ $proxy == balancer ]] && allocated=$((($(balancer_metric "$management_port" dotnet_gc_heap_total_allocated_bytes_total) - allocated_before) / requests))
    [[ $proxy == before ]] && allocated=$((($(balancer_metric $((management_port + 1)) dotnet_gc_heap_total_allocated_bytes_total) - allocated_before) / requests))
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$report")
    p99=$(p99_ms "$report")
    errors=$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$report")
    cpu=$(awk -v t=$((after - before)) -v us="$tick_us" -v n="$requests" 'BEGIN { printf "%.1f", t * us / n }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$proxy" "$requests" "$rps" "$p99" "$cpu" "$errors" "$allocated" >>"$raw"
    printf 'round %d  %-8s  %8s req/s  p99 %7s ms  %6s us/request  errors %s  allocated %s B/request\n' "$round" "$proxy" "$rps" "$p99" "$cpu" "$errors" "$allocated"
  done
  order=("${order[@]:1}" "${order[0]}")
done

# Medians per proxy and the ratios to HAProxy's.
python3 - "$raw" "$connections" "$duration" "$rounds" <<'EOF' | tee "$out/results.md"
import csv, statistics, sys
raw, connections, duration, rounds = sys.argv[1:]
rows = list(csv.DictReader(open(raw), delimiter="\t"))
def median(proxy, key):
    return statistics.median(float(r[key]) for r in rows if r["proxy"] == proxy)
names = {"balancer": "this balancer (make run defaults)",
         "before": "the balancer before issue 15 (YARP path, server GC)",
         "haproxy": "HAProxy, `balance url_param id` + `hash-type consistent`",
         "nginx": "nginx, `hash $arg_id consistent`"}
h = {k: median("haproxy", k) for k in ("cpu_us_per_request", "requests_per_s", "p99_ms")}
allocated = statistics.median(float(r["bytes_allocated_per_request"]) for r in rows if r["proxy"] == "balancer")
print(f"wrk -t1 -c{connections}, {rounds} interleaved rounds of {duration} s, medians; ratios are to HAProxy's")
print()
print("| proxy | CPU per request | requests/s | p99 | CPU ratio | req/s ratio | p99 ratio | errors |")
print("|---|---|---|---|---|---|---|---|")
for proxy in [p for p in ("balancer", "before", "haproxy", "nginx") if any(r["proxy"] == p for r in rows)]:
    cpu, rps, p99 = (median(proxy, k) for k in ("cpu_us_per_request", "requests_per_s", "p99_ms"))
    errors = sum(int(r["errors"]) for r in rows if r["proxy"] == proxy)
    print(f"| {names[proxy]} | {cpu:.0f} us | {rps:,.0f} | {p99:.2f} ms | {cpu / h['cpu_us_per_request']:.2f}x "
          f"| {rps / h['requests_per_s']:.2f}x | {p99 / h['p99_ms']:.2f}x | {errors} |")
print()
print(f"The balancer allocated {allocated:,.0f} bytes per request (its dotnet_gc_heap_total_allocated_bytes_total over its requests).")
if any(r["proxy"] == "before" for r in rows):
    before = statistics.median(float(r["bytes_allocated_per_request"]) for r in rows if r["proxy"] == "before")
    print(f"The build before allocated {before:,.0f} bytes per request; it ran with replicas of its own (the same ReplicaServer build).")
EOF
