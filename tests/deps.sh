#!/bin/bash
# Install every Debian package that building, testing and the demo need,
# and the unprivileged system user the embedded PostgreSQL runs as.
# Idempotent: does nothing when all is present.
set -euo pipefail

packages=(
	gcc libc6-dev make pkg-config
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

# A Linux kernel for the lab guests that need an OS (a NIC unplugged from a
# running guest is released by the guest's kernel): Debian's own kernel
# image, unpacked into a cache, never installed on this machine.
guest_kernel=/var/cache/rhv-lab/vmlinuz
if [ ! -s "$guest_kernel" ]; then
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '$1 == "Depends:" { print $2; exit }')
	if [ -z "$pkg" ]; then
		$sudo apt-get update -qq
		pkg=$(apt-cache depends linux-image-amd64 | awk '$1 == "Depends:" { print $2; exit }')
	fi
	tmp=$(mktemp -d)
	(cd "$tmp" && $sudo apt-get download -qq -o APT::Sandbox::User=root "$pkg")
	dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$tmp" --wildcards './boot/vmlinuz-*'
	$sudo install -D -m 0644 "$tmp"/boot/vmlinuz-* "$guest_kernel"
	rm -rf "$tmp"
	echo "deps: guest kernel $pkg in $guest_kernel"
fi
