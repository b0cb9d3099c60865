# Sourced by the docker/ scripts: picks the docker client to call.
#
# Debian's docker.io client (/usr/bin/docker) matches the engine it ships with, so it is preferred
# over whatever other client comes first on PATH (a newer standalone one may, and without the buildx
# plugin it cannot build). DOCKER_CLI overrides the choice.
if [[ -n "${DOCKER_CLI:-}" ]]; then
  docker_cmd=("$DOCKER_CLI")
elif [[ -x /usr/bin/docker ]]; then
  docker_cmd=(/usr/bin/docker)
else
  docker_cmd=(docker)
fi

# The classic builder: it is part of every engine, BuildKit needs a plugin that may be missing.
export DOCKER_BUILDKIT=0

docker_cli() {
  "${docker_cmd[@]}" "$@"
}
