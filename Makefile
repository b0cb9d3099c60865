# The two commands a user needs: `make run` (balancer on :5000) and `make test`. Also: `make deploy` /
# `make down` (the whole system in Docker: docker/deploy.sh, docker/down.sh), `make experiments`
# (regenerates results/: charts and numbers of A-1..A-4), `make chaos MINUTES=10` (fault schedules),
# `make health` (issue 13's targets table, measured: results/health), `make bench-proxy` (the balancer's CPU per
# request beside HAProxy's and nginx's: results/bench-proxy), `make cluster` (three nodes as one Akka.NET
# cluster, Balancer.Web/Cluster/cluster.sh), `make deploy NODES=3` (three balancer containers).
CONFIGURATION ?= Release
DOTNET ?= dotnet
RESULTS ?= $(CURDIR)/artifacts/test-results
BIN = bin/$(CONFIGURATION)/net10.0

export DOTNET_CLI_TELEMETRY_OPTOUT = 1
export DOTNET_NOLOGO = 1

.PHONY: build test run clean experiments health bench-proxy deploy down logs ps chaos cluster cluster-scenario

build:
	$(DOTNET) build LoadBalancer.slnx -c $(CONFIGURATION)

test: build
	$(DOTNET) test LoadBalancer.slnx -c $(CONFIGURATION) --no-build \
		--logger "trx;LogFileName=tests.trx" --results-directory "$(RESULTS)"

# Randomized fault schedules against the supervisor on virtual time, for MINUTES minutes (default 10);
# prints how many schedules ran and how many per second. CHAOS_SEED=n replays one schedule instead.
MINUTES ?= 10
chaos: build
	@if [ -n "$$CHAOS_SEED" ]; then filter=AThousandRandomFaultSchedules; else filter=SchedulesKeepEveryPromiseForTheGivenMinutes; fi; \
	CHAOS_MINUTES=$(MINUTES) $(DOTNET) test Balancer.Tests -c $(CONFIGURATION) --no-build \
		--filter "FullyQualifiedName~ChaosScheduleTests.$$filter" --logger "console;verbosity=detailed"

# The balancer on :5000 with three ReplicaServer processes. exec replaces make's shell, so SIGTERM and
# Ctrl-C reach the balancer itself; settings pass through, e.g. make run ARGS="--Balancer:Replicas=5".
run: build
	cd Balancer.Web/$(BIN) && exec ./Balancer.Web $(ARGS)

# Three nodes as three OS processes, one cluster: HTTP 5000-5002, management 8404-8406, remoting
# 127.0.0.1:4053-4055. In the foreground; Ctrl-C or TERM stops every node and every replica by PID.
cluster: build
	exec bash Balancer.Web/Cluster/cluster.sh

# Embedded mode: starts the Release balancer on a free loopback port, so no Docker is needed.
# Spin-waiting thread pools would steal the CPU the balancer and its replicas need.
experiments:
	$(DOTNET) build Balancer.Web -c Release
	$(DOTNET) build Experiments -c Release
	DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 $(DOTNET) run -c Release --no-build --project Experiments -- all --out results

# The health targets (SIGSTOP, wrk -c256 for 60 s, a replica failing its requests, crashes with and
# without spares; the Docker rows where an engine and the images are there), about 8 minutes.
health:
	@command -v wrk >/dev/null || echo "wrk is missing (apt-get install -y wrk): its row is skipped"
	$(DOTNET) build Balancer.Web -c Release
	$(DOTNET) build Experiments -c Release
	DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 $(DOTNET) run -c Release --no-build --project Experiments -- health --out results/health

# The balancer as `make run` ships it, HAProxy and nginx over the same three replicas, wrk rounds interleaved:
# CPU us/request, requests/s and p99 of each, and the ratios to HAProxy's (installs haproxy, nginx, wrk, jq
# where missing). ROUNDS=5 DURATION=10 CONNECTIONS=32 by default; about 3 minutes.
bench-proxy:
	bash Experiments/BenchProxy/bench-proxy.sh

# NODES=3: three balancer nodes as one cluster (docker/docker-compose.cluster.yml) on 5000-5002.
NODES ?= 1
# Issue 16's cluster targets on three local nodes (free ports), into results/cluster; SOAK=1 adds wrk -c256 for 60 s.
cluster-scenario:
	$(DOTNET) build Balancer.Web -c Release
	$(DOTNET) build Experiments -c Release
	DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 $(DOTNET) run -c Release --no-build --project Experiments -- cluster --out results/cluster $(if $(filter 1,$(SOAK)),--soak,)

deploy:
	LB_NODES=$(NODES) bash docker/deploy.sh

down:
	LB_NODES=$(NODES) bash docker/down.sh

logs:
	LB_NODES=$(NODES) bash -c 'source docker/compose.sh && compose logs --tail 200 -f'

ps:
	LB_NODES=$(NODES) bash -c 'source docker/compose.sh && compose ps && docker_cli ps --filter "label=lb.instance=$$LB_INSTANCE"'

clean:
	$(DOTNET) clean LoadBalancer.slnx -c $(CONFIGURATION)
	rm -rf artifacts
