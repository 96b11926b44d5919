#!/bin/bash
# Install every Debian package that building, testing and the demo need,
# and the unprivileged system user the embedded PostgreSQL runs as.
# Idempotent: does nothing when all is present.
set -euo pipefail

packages=(
	gcc make pkg-config
	libvirt-dev libpq-dev libpopt-dev libjson-c-dev libxml2-dev
	postgresql postgresql-client
	libvirt-daemon libvirt-clients qemu-system-x86 qemu-utils
	openipmi ipmitool fence-agents
	openssh-server openssh-client openvswitch-switch
	hyperfine python3 iproute2 procps
	e2fsprogs mount
)

sudo=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "deps: run as root (or install sudo)" >&2; exit 1; }
	sudo=sudo
fi

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# PostgreSQL refuses to run as root: root's embedded store belongs to "rhv".
if ! id rhv >/dev/null 2>&1; then
	$sudo useradd --system --user-group --no-create-home --home-dir /var/lib/rhv \
		--shell /usr/sbin/nologin rhv
	echo "deps: created the system user rhv"
fi
