import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * The NAT lab's networks: real Linux namespaces joined by veth pairs, NAT done by nftables, all inside the
 * sandbox scripts/in-lab.sh makes (its own network namespace is the lab's "internet", and its /run/netns
 * is private). Nothing here touches the host's interfaces, and every address is from the RFC 2544
 * benchmarking range 198.18.0.0/15:
 *
 *   internet (this process's namespace): bridge `inet0` 198.18.0.1/24 — the app server and coturn
 *   router r-<home>: `wan` 198.18.0.<10+n>/24 on that bridge, `lan` 198.19.<n>.1/24, nftables NAT
 *   home h-<home>:   `eth0` 198.19.<n>.2/24, default route via its router — the players' browsers
 *
 * One lab per test file; homes are rebuilt per case (fresh conntrack, fresh mappings).
 */

export const INTERNET_IP = '198.18.0.1';

/**
 * - `cone`: port-restricted cone — masquerade keeps a flow's source port (one mapping per local socket,
 *   whatever the destination) and only answers from where the home has sent pass. The input chain's
 *   `policy drop` matters: with masquerade alone an unsolicited packet to the router's WAN address creates
 *   a conntrack entry of its own and the home's outbound flow gets remapped to another port.
 * - `symmetric`: `masquerade random` — a new random port per destination, so the port STUN sees is not
 *   the one a peer sees, and hole punching between two of them fails.
 * - `udp-blocked`: the home can use TCP only (corporate or hotel networks): TURN over TCP or the relay.
 */
export type NatKind = 'cone' | 'symmetric' | 'udp-blocked';

export interface Home {
  name: string;
  kind: NatKind;
  /** `/run/netns/h-<name>`: where the home's browsers run. */
  netns: string;
  router: string;
  lanIp: string;
  wanIp: string;
  /** Another device on the same LAN; returns its namespace path (for launchChromiumIn and the like). */
  addDevice(): string;
  /** Every device namespace's name. */
  devices(): string[];
  /** Drops this share of the UDP the router forwards (both ways), counted by nftables. */
  setLoss(percent: number): void;
  /** UDP packets dropped by setLoss so far. */
  lossCount(): number;
  /**
   * The router forgets every mapping and maps from another port range from now on, as a router reboot
   * or a carrier NAT's timeout does: every flow through it breaks and must be re-established.
   */
  remap(): void;
}

export function requireLabTools() {
  for (const [bin, pkg] of [
    ['ip', 'iproute2'],
    ['nft', 'nftables'],
    ['conntrack', 'conntrack'],
    ['nsenter', 'util-linux'],
  ] as const) {
    try {
      execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    } catch {
      throw new Error(`The NAT lab needs \`${bin}\`: apt-get install -y ${pkg}`);
    }
  }
  if (process.getuid?.() !== 0)
    throw new Error('The NAT lab needs root: run it with `npm run lab` or `npm test` as root (CI is).');
  let ours = false;
  try {
    // scripts/in-lab.sh mounts a private tmpfs on /run/netns; never add namespaces to the host's.
    ours =
      execFileSync('findmnt', ['-n', '-o', 'SOURCE', '/run/netns'], { encoding: 'utf8' }).trim() ===
      'lab-netns';
  } catch {
    ours = false;
  }
  if (!ours)
    throw new Error(
      'Not inside the lab sandbox: run lab tests through scripts/in-lab.sh (npm run lab, npm test).',
    );
}

function run(args: string[], input?: string) {
  try {
    return execFileSync(args[0]!, args.slice(1), {
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`lab: \`${args.join(' ')}\` failed: ${e.stderr || e.message}`);
  }
}

const inNs = (ns: string, ...args: string[]) => run(['ip', 'netns', 'exec', ns, ...args]);

function natRules(kind: NatKind, portRange: string | null) {
  // A port range needs a transport-protocol match before it (nftables' rule).
  const to = portRange ? ` to :${portRange}` : '';
  const proto = portRange ? 'meta l4proto { tcp, udp } ' : '';
  const masquerade = `${proto}${kind === 'symmetric' ? `masquerade${to} random` : `masquerade${to}`}`;
  const blockUdp = kind === 'udp-blocked' ? 'iifname "lan" meta l4proto udp counter drop' : '';
  return `
flush ruleset
table ip nat {
  chain postrouting { type nat hook postrouting priority srcnat; oifname "wan" ${masquerade}; }
}
table ip filter {
  chain input {
    type filter hook input priority 0; policy drop;
    iifname "lo" accept
    iifname "lan" accept
    ct state established,related accept
  }
  chain loss { }
  chain forward {
    type filter hook forward priority 0; policy drop;
    jump loss
    ${blockUdp}
    iifname "lan" accept
    ct state established,related accept
  }
}
`;
}

function linkExists(name: string) {
  try {
    run(['ip', 'link', 'show', name]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Homes are numbered across the whole sandbox (a file in its private /run/netns), never reused: a deleted
 * namespace's veths vanish asynchronously, and each number owns 198.19.<n>.0/24 and 198.18.0.<10+n>.
 */
function nextHomeNumber(): number {
  const file = '/run/netns/.lab-homes';
  const n = (existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0) + 1;
  if (n > 240) throw new Error('lab: more than 240 homes in one sandbox');
  writeFileSync(file, String(n));
  return n;
}

export class Lab {
  private homes: Home[] = [];

  constructor() {
    requireLabTools();
    // One sandbox runs several test files, each with its own Lab: the bridge stays from the first. (Not
    // /sys/class/net: sysfs there is still the host's view.)
    if (!linkExists('inet0')) {
      run(['ip', 'link', 'add', 'inet0', 'type', 'bridge']);
      run(['ip', 'addr', 'add', `${INTERNET_IP}/24`, 'dev', 'inet0']);
      run(['ip', 'link', 'set', 'inet0', 'up']);
      // A port that stays: a bridge whose last port is gone loses carrier, and a server started then does not
      // see its address (Node's os.networkInterfaces() lists only running interfaces), so its STUN responder
      // would not bind it. Homes come and go per case; this keeps the internet "cabled".
      run(['ip', 'link', 'add', 'inet0-keep', 'type', 'veth', 'peer', 'name', 'inet0-peer']);
      run(['ip', 'link', 'set', 'inet0-keep', 'master', 'inet0', 'up']);
      run(['ip', 'link', 'set', 'inet0-peer', 'up']);
    }
  }

  /** A home network behind its own NAT router. */
  addHome(name: string, kind: NatKind): Home {
    const n = nextHomeNumber();
    // Names carry the home's number: a deleted namespace's veths vanish asynchronously, so a later case
    // must not reuse them.
    name = `${name}${n}`;
    const router = `r-${name}`;
    const home = `h-${name}`;
    const wanIp = `198.18.0.${10 + n}`;
    const lanIp = `198.19.${n}.2`;
    run(['ip', 'netns', 'add', router]);
    run(['ip', 'link', 'add', `w-${name}`, 'type', 'veth', 'peer', 'name', 'wan', 'netns', router]);
    run(['ip', 'link', 'set', `w-${name}`, 'master', 'inet0', 'up']);
    // The LAN is a bridge in the router, so a home can hold several devices (addDevice) that see each
    // other's multicast, as on a real home network (mDNS host candidates resolve there).
    run(['ip', '-n', router, 'link', 'add', 'lan', 'type', 'bridge']);
    run(['ip', '-n', router, 'addr', 'add', `${wanIp}/24`, 'dev', 'wan']);
    run(['ip', '-n', router, 'addr', 'add', `198.19.${n}.1/24`, 'dev', 'lan']);
    for (const dev of ['lo', 'wan', 'lan']) run(['ip', '-n', router, 'link', 'set', dev, 'up']);
    const attach = (device: string, ip: string, port: string) => {
      run(['ip', 'netns', 'add', device]);
      run(['ip', '-n', router, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', device]);
      run(['ip', '-n', router, 'link', 'set', port, 'master', 'lan', 'up']);
      run(['ip', '-n', device, 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
      for (const dev of ['lo', 'eth0']) run(['ip', '-n', device, 'link', 'set', dev, 'up']);
      run(['ip', '-n', device, 'route', 'add', 'default', 'via', `198.19.${n}.1`]);
    };
    attach(home, lanIp, 'd1');
    const devices = [home];
    // Forwarding is off in a new namespace (written through /proc: no procps needed).
    inNs(router, 'sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward');
    run(['ip', 'netns', 'exec', router, 'nft', '-f', '-'], natRules(kind, null));

    let remaps = 0;
    const h: Home = {
      name,
      kind,
      netns: `/run/netns/${home}`,
      router,
      lanIp,
      wanIp,
      setLoss(percent) {
        inNs(router, 'nft', 'flush', 'chain', 'ip', 'filter', 'loss');
        if (percent > 0) {
          inNs(
            router,
            'nft',
            'add',
            'rule',
            'ip',
            'filter',
            'loss',
            'meta',
            'l4proto',
            'udp',
            'numgen',
            'random',
            'mod',
            '100',
            '<',
            String(percent),
            'counter',
            'drop',
          );
        }
      },
      lossCount() {
        const m = /counter packets (\d+)/.exec(inNs(router, 'nft', 'list', 'chain', 'ip', 'filter', 'loss'));
        return m ? Number(m[1]) : 0;
      },
      devices: () => [...devices],
      addDevice() {
        const k = devices.length + 1;
        const device = `${home}-${k}`;
        attach(device, `198.19.${n}.${k + 1}`, `d${k}`);
        devices.push(device);
        return `/run/netns/${device}`;
      },
      remap() {
        remaps++;
        const base = 20_000 + remaps * 5_000;
        run(['ip', 'netns', 'exec', router, 'nft', '-f', '-'], natRules(kind, `${base}-${base + 4_999}`));
        try {
          inNs(router, 'conntrack', '-F');
        } catch {
          // conntrack -F exits non-zero when the table is already empty; nothing to forget then
        }
      },
    };
    this.homes.push(h);
    return h;
  }

  /** Removes every home and router (their veths go with them); the bridge stays for the next case. */
  clear() {
    for (const h of this.homes) {
      for (const ns of [...h.devices(), h.router]) {
        try {
          run(['ip', 'netns', 'del', ns]);
        } catch {
          // already gone
        }
      }
    }
    this.homes = [];
  }
}
