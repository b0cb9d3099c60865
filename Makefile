# The commands a user needs: `make run` (balancer on :5000), `make test`, and `make deploy` / `make down`
# (the whole system in Docker: docker/deploy.sh, docker/down.sh).
CONFIGURATION ?= Release
DOTNET ?= dotnet
RESULTS ?= $(CURDIR)/artifacts/test-results
BIN = bin/$(CONFIGURATION)/net10.0

export DOTNET_CLI_TELEMETRY_OPTOUT = 1
export DOTNET_NOLOGO = 1

.PHONY: build test run clean deploy down logs ps

build:
	$(DOTNET) build LoadBalancer.slnx -c $(CONFIGURATION)

test: build
	$(DOTNET) test LoadBalancer.slnx -c $(CONFIGURATION) --no-build \
		--logger "trx;LogFileName=tests.trx" --results-directory "$(RESULTS)"

# exec replaces make's shell, so SIGTERM and Ctrl-C reach the program itself.
run: build
	cd ReplicaServer/$(BIN) && exec ./ReplicaServer

deploy:
	bash docker/deploy.sh

down:
	bash docker/down.sh

logs:
	bash -c 'source docker/compose.sh && compose logs --tail 200 -f balancer'

ps:
	bash -c 'source docker/compose.sh && compose ps && docker_cli ps --filter "label=lb.instance=$$LB_INSTANCE"'

clean:
	$(DOTNET) clean LoadBalancer.slnx -c $(CONFIGURATION)
	rm -rf artifacts
