#!/usr/bin/env bash
# Runs a command inside a private NAT-lab sandbox: a new, empty network namespace (only `lo`, never linked
# to the host's interfaces), a private mount namespace whose /run/netns is a fresh tmpfs (so `ip netns add`
# names are the lab's own and vanish with it), and an /etc/resolv.conf that points inside the lab (browsers'
# background DNS lookups then fail at once instead of waiting on the host's resolver). The command's own
# namespace is the lab's "internet": the app server and coturn run there; homes and routers are made by the
# lab code (tests/lab/) with `ip netns add` and veth pairs, addresses only from 198.18.0.0/15.
# Needs root (CI runs as root); elsewhere it says so and fails.
set -euo pipefail
if [ "$(id -u)" != "0" ]; then
  echo "the NAT lab needs root (network and mount namespaces); run it as root or in CI" >&2
  exit 1
fi
for bin in unshare ip nft nsenter; do
  command -v "$bin" >/dev/null || { echo "the NAT lab needs \`$bin\` (apt-get install -y iproute2 nftables util-linux)" >&2; exit 1; }
done
exec unshare -n -m --propagation private -- bash -c '
  set -e
  mkdir -p /run/netns && mount -t tmpfs -o size=1m lab-netns /run/netns
  resolv=$(mktemp) && echo "nameserver 198.18.0.1" > "$resolv" && mount --bind "$resolv" /etc/resolv.conf
  ip link set lo up
  exec "$@"' bash "$@"
