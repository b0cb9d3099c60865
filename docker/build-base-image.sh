#!/usr/bin/env bash
# Makes sure the official ASP.NET Core base image is there. When it is neither present nor pullable
# (no registry reachable), builds a stand-in under the same name: a Debian bookworm minbase rootfs
# made by debootstrap from the mirror this machine's apt already uses, the libraries .NET needs, and
# the host's own .NET + ASP.NET Core shared runtime, imported with `docker import`.
#
# Idempotent: an image already present is left alone; the debootstrap rootfs is cached as a tarball
# under artifacts/ so a rebuild only re-adds the runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
source docker/docker-cli.sh

base_image="${BASE_IMAGE:-mcr.microsoft.com/dotnet/aspnet:10.0}"
suite="${DEBIAN_SUITE:-bookworm}"
dotnet_root="${DOTNET_ROOT:-/usr/share/dotnet}"
cache_dir="$PWD/artifacts/docker-base"
# The libraries the .NET runtime loads (ICU too, so apps without invariant globalization run), plus
# CA certificates and time zones as the official image has them.
packages="libc6,libgcc-s1,libstdc++6,libicu72,libssl3,zlib1g,ca-certificates,tzdata"

if docker_cli image inspect "$base_image" >/dev/null 2>&1; then
  echo "base image $base_image is present"
  exit 0
fi

if [[ "${SKIP_BASE_PULL:-0}" != 1 ]] && timeout 60 "${docker_cmd[@]}" pull "$base_image" >/dev/null 2>&1; then
  echo "pulled base image $base_image"
  exit 0
fi
echo "base image $base_image cannot be had here: building a local stand-in under that name"

# The first Debian mirror apt is configured with (deb822 sources first, then the one-line format),
# skipping the security archive, whose layout debootstrap cannot use.
debian_mirror() {
  if [[ -n "${DEBIAN_MIRROR:-}" ]]; then
    echo "$DEBIAN_MIRROR"
    return
  fi
  local uri
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | sed -n 's/^URIs:[[:space:]]*//p' | tr ' ' '\n' | grep -v -- '-security' | grep -v '^$' | head -1 || true)
  if [[ -z "$uri" ]]; then
    uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' \
      | grep -v -- '-security' | head -1 || true)
  fi
  [[ -n "$uri" ]] || { echo "no Debian mirror found in the apt sources" >&2; exit 1; }
  echo "$uri"
}

# The newest shared framework version present for a framework name.
framework_version() {
  ls "$dotnet_root/shared/$1" 2>/dev/null | sort -V | tail -1
}

netcore_version=$(framework_version Microsoft.NETCore.App)
aspnet_version=$(framework_version Microsoft.AspNetCore.App)
[[ -n "$netcore_version" && -n "$aspnet_version" ]] \
  || { echo "no .NET and ASP.NET Core runtime under $dotnet_root" >&2; exit 1; }

mkdir -p "$cache_dir"
# The cache key covers what goes into the rootfs, so a change of recipe, list or suite rebuilds it.
recipe_version=2
rootfs_key=$(echo "$recipe_version $suite $packages" | sha256sum | cut -c1-12)
rootfs_tar="$cache_dir/rootfs-$suite-$rootfs_key.tar"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
mkdir -p "$rootfs"

if [[ -f "$rootfs_tar" ]]; then
  echo "using cached rootfs $rootfs_tar"
  tar -C "$rootfs" -xf "$rootfs_tar"
else
  command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install -y debootstrap)" >&2; exit 1; }
  mirror=$(debian_mirror)
  echo "debootstrap --variant=minbase $suite from the apt mirror"
  debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -30 "$work/debootstrap.log" >&2; exit 1; }
  # The non-root user the official image runs apps as (APP_UID=1654).
  chroot "$rootfs" groupadd --gid 1654 app
  chroot "$rootfs" useradd --uid 1654 --gid 1654 --no-create-home --shell /bin/false app
  # What only served the installation or a human reader: package downloads, indexes, docs.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/* "$rootfs"/tmp/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
  tar -C "$rootfs" -cf "$rootfs_tar.partial" .
  mv "$rootfs_tar.partial" "$rootfs_tar"
fi

# The host's runtime, laid out as the official image has it.
target="$rootfs/usr/share/dotnet"
mkdir -p "$target/shared/Microsoft.NETCore.App" "$target/shared/Microsoft.AspNetCore.App"
cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$target/"
cp -a "$dotnet_root"/LICENSE.txt "$dotnet_root"/ThirdPartyNotices.txt "$target/" 2>/dev/null || true
cp -a "$dotnet_root/shared/Microsoft.NETCore.App/$netcore_version" "$target/shared/Microsoft.NETCore.App/"
cp -a "$dotnet_root/shared/Microsoft.AspNetCore.App/$aspnet_version" "$target/shared/Microsoft.AspNetCore.App/"
ln -sf /usr/share/dotnet/dotnet "$rootfs/usr/bin/dotnet"

tar -C "$rootfs" -c . | docker_cli import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV APP_UID=1654' \
  --change 'ENV ASPNETCORE_HTTP_PORTS=8080' \
  --change 'ENV DOTNET_RUNNING_IN_CONTAINER=true' \
  --change "ENV DOTNET_VERSION=$netcore_version" \
  --change "ENV ASPNET_VERSION=$aspnet_version" \
  --change 'LABEL lb.stand-in=true' \
  --change 'WORKDIR /' \
  - "$base_image" >/dev/null
echo "built stand-in $base_image (.NET $netcore_version, ASP.NET Core $aspnet_version, Debian $suite)"
