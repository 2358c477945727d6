import type { BenchResult } from './index';
import type { BrowserFigures } from './browser/run';
import { renderGame } from './game/run';
import { ratio } from './stats';
import { WEB_BUDGET, type WebFigures } from './web';

type Cell = number | null | undefined;
const fmt = (v: Cell, digits = 1) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '–'
    : v.toLocaleString('en-US', { maximumFractionDigits: digits });
const mark = (r: number | null, budget: number | null, higherIsBetter = false) =>
  r === null
    ? '–'
    : budget === null
      ? `${r}×`
      : `${r}× ${(higherIsBetter ? r >= budget : r <= budget) ? '✅' : '❌'} (${higherIsBetter ? '≥' : '≤'} ${budget})`;

function row(
  label: string,
  bare: Cell,
  ours: Cell,
  budget: number | null,
  digits = 1,
  higherIsBetter = false,
) {
  const r = ratio(ours ?? null, bare ?? null);
  return `| ${label} | ${fmt(bare, digits)} | ${fmt(ours, digits)} | ${mark(r, budget, higherIsBetter)} |`;
}

/** A signaling row: both floors, ours, and ours against each floor (budgets: vs bare, vs PeerJS). */
function row3(
  label: string,
  bare: Cell,
  peerjs: Cell,
  ours: Cell,
  budgets: { bare?: number; peerjs?: number } = {},
  digits = 1,
  higherIsBetter = false,
) {
  const rb = ratio(ours ?? null, bare ?? null);
  const rp = ratio(ours ?? null, peerjs ?? null);
  return `| ${label} | ${fmt(bare, digits)} | ${fmt(peerjs, digits)} | ${fmt(ours, digits)} | ${mark(rb, budgets.bare ?? null, higherIsBetter)} | ${mark(rp, budgets.peerjs ?? null, higherIsBetter)} |`;
}

export function renderMarkdown(result: BenchResult): string {
  const { machine: m } = result;
  const out: string[] = [
    `# PeerLobby benchmark (${result.mode}, ${result.date.slice(0, 16)}Z, commit ${m.commit})`,
    '',
    `Machine: ${m.nproc} cores, ${m.cpuModel}, Node ${m.node}. Loopback only. Load average (1 min) ${m.loadAvg.before.toFixed(1)} before, ${m.loadAvg.after?.toFixed(1) ?? '–'} after` +
      (m.loadAvg.before > m.nproc / 2
        ? ' — the machine was busy with other work: latencies are skewed, compare ratios of the same run.'
        : '.'),
    '',
  ];
  const s = result.signaling;
  if (s) {
    out.push(
      `## Signaling server (server pinned to core 0${s.taskset ? '' : ' — taskset missing, not pinned'}, load on core 1, median of ${s.repeats})`,
      '',
      '| figure | bare socket.io | PeerJS server | ours | ours / bare | ours / PeerJS |',
      '|---|---|---|---|---|---|',
    );
    const top = Math.max(...s.ours.memory.map((x) => x.players));
    s.ours.memory.forEach((o, i) => {
      const b = s.bare.memory[i];
      const p = s.peerjs?.memory[i];
      const atTop = o.players === top;
      out.push(
        row3(
          `RSS per joined player @${o.players} (KB)`,
          b?.rssPerPlayerKB,
          p?.rssPerPlayerKB,
          o.rssPerPlayerKB,
          atTop ? { bare: 1.0 } : {},
        ),
      );
      out.push(
        row3(
          `V8 heap per joined player @${o.players} (KB)`,
          b?.heapPerPlayerKB,
          p?.heapPerPlayerKB,
          o.heapPerPlayerKB,
          atTop ? { bare: 1.0 } : {},
        ),
      );
      out.push(
        row3(
          `marginal RSS per player, step to ${o.players} (KB)`,
          b?.marginalRssPerPlayerKB,
          p?.marginalRssPerPlayerKB,
          o.marginalRssPerPlayerKB,
        ),
      );
      out.push(
        row3(
          `connect+join rate @${o.players} (/s)`,
          b?.connectJoinPerS,
          p?.connectJoinPerS,
          o.connectJoinPerS,
          {},
          0,
          true,
        ),
      );
      out.push(
        row3(
          `server CPU per connect+join @${o.players} (ms)`,
          b?.serverCpuPerConnectMs,
          p?.serverCpuPerConnectMs,
          o.serverCpuPerConnectMs,
          atTop ? { bare: 1.2 } : {},
          3,
        ),
      );
    });
    s.ours.relay.rates.forEach((o, i) => {
      const b = s.bare.relay.rates[i];
      const p = s.peerjs?.relay.rates[i];
      out.push(row3(`p50 round trip @${o.offersPerS} offers/s (ms)`, b?.p50Ms, p?.p50Ms, o.p50Ms, {}, 2));
      out.push(
        row3(
          `p99 round trip @${o.offersPerS} offers/s (ms)`,
          b?.p99Ms,
          p?.p99Ms,
          o.p99Ms,
          o.offersPerS === 5000 ? { bare: 1.5 } : {},
          2,
        ),
      );
      out.push(
        row3(
          `server CPU per 2 KB signal @${o.offersPerS}/s (µs)`,
          b?.serverCpuPerSignalUs,
          p?.serverCpuPerSignalUs,
          o.serverCpuPerSignalUs,
          {},
          1,
        ),
      );
    });
    const pr = s.peerjs?.relay;
    out.push(
      row3(
        'max offers/s tested with p99 < 50 ms, no loss',
        s.bare.relay.maxOffersPerSUnderP99Budget,
        pr?.maxOffersPerSUnderP99Budget,
        s.ours.relay.maxOffersPerSUnderP99Budget,
        { bare: 1 },
        0,
        true,
      ),
    );
    const bt = s.bare.relay.throughput;
    const pt = pr?.throughput;
    const ot = s.ours.relay.throughput;
    out.push(
      row3(
        '200 B candidates delivered/s (load-generator bound)',
        bt.deliveredPerS,
        pt?.deliveredPerS,
        ot.deliveredPerS,
        {},
        0,
        true,
      ),
    );
    out.push(
      row3(
        'server CPU per relayed 200 B candidate (µs)',
        bt.serverCpuPerSignalUs,
        pt?.serverCpuPerSignalUs,
        ot.serverCpuPerSignalUs,
        { peerjs: 1 },
        2,
      ),
    );
    out.push(
      row3(
        'relay capacity of one core, 1e6 / CPU per signal (/s)',
        bt.capacityPerS,
        pt?.capacityPerS,
        ot.capacityPerS,
        { bare: 0.8 },
        0,
        true,
      ),
    );
    out.push(
      '',
      'Notes: an "offer" is a 2 KB SDP-shaped description A → B (a Chromium data-channel offer, CRLF lines) plus a 2 KB',
      'answer B → A (two relayed signals); rates are offers/s',
      `over ${s.ours.relay.throughput.players / 2} players in lobbies of 4 for latency (1,000 players, 250 lobbies), ${s.ours.relay.throughput.players} players for throughput.`,
      `Our server runs with validation, membership checks and the production rate limits (no knob raised; rejected signals: ${s.ours.relay.rejected}).`,
      'Throughput is closed-loop (2,000 candidates hopping between lobby members); the load generator saturates first,',
      'so the server-side figure is CPU per relayed signal (process.cpuUsage over the window) and the capacity derived from it.',
      'Memory: server RSS / V8 heap after two full GCs, growth over a 4-player warm-up baseline, divided by players.',
      'PeerJS: its server (npm `peer`) with the client cap lifted; its clients speak the PeerJS websocket protocol (OFFER/ANSWER/',
      'CANDIDATE by id, HEARTBEAT every 5 s) and pick their own ids, so a "join" is the websocket open + OPEN; no lobbies, no checks.',
      `Medians of ${s.repeats} interleaved repeats${s.repeats === 2 ? ' (with 2, the lower value)' : ''}; the p99 search counts a rate as held only with no loss.`,
      '',
    );
  }
  const b = result.browser;
  if (b) out.push(...renderBrowser(b));
  if (result.game) out.push(...renderGame(result.game));
  if (result.web) out.push(...renderWeb(result.web));
  return out.join('\n') + '\n';
}

function renderBrowser(b: BrowserFigures): string[] {
  const out = [
    `## Browser path (headless Chromium${b.netns ? ', loopback-only netns' : ''}, median of ${b.runs} runs)`,
    '',
    '| join → all channels open | raw floor | PeerLobby SDK | SDK / floor |',
    '|---|---|---|---|',
  ];
  for (const c of b.cases) {
    const budget = c.name === 'settled-4' ? 1.5 : c.name === 'burst-8' || c.name === 'settled-2' ? 1.2 : null;
    out.push(row(`${c.name} (ms)`, c.floorMs, c.sdkMs, budget, 1));
  }
  // The lobby part of the above: from the join's start to its ack (SDK: lobby:join answered; floor: the
  // relay's room join answered), before any WebRTC work.
  for (const c of b.cases) {
    if (c.name.startsWith('settled'))
      out.push(
        row(
          `${c.name}: newcomer's join registered (ms)`,
          c.floorJoinMs,
          c.sdkJoinMs,
          c.name === 'settled-2' ? 1.2 : null,
          1,
        ),
      );
  }
  out.push(row('ping RTT, N=2 (ms)', b.ping.floorMs, b.ping.sdkMs, 1.2, 3));
  out.push(
    '',
    'Notes: "settled-N": a newcomer (page loaded, no socket yet) joins a connected lobby of N−1, until all its links are open',
    'on both ends; "burst-N": N pages join at once, first join → full mesh. Floor: a minimal socket.io relay and one',
    'RTCPeerConnection per pair with the same negotiated channels, newcomer offering, trickle ICE with queued candidates.',
    'SDK: LobbyClient + Mesh bundled with esbuild against createApp (no Next, no React). Ping: one open pair per system,',
    `${b.runs} blocks of sequential pings alternating between the two (SDK: its 5-byte ping frame; floor: JSON on the reliable channel).`,
    '',
  );
  return out;
}

function renderWeb(w: WebFigures): string[] {
  const ok = (pass: boolean) => (pass ? '✅' : '❌');
  const { home, lobby } = w.lighthouse;
  const score = (v: number) => `${v} ${ok(v >= WEB_BUDGET.score)}`;
  return [
    '## Web app (production build, headless Chromium, loopback)',
    '',
    '| figure | `/` | `/lobby/CODE` | budget |',
    '|---|---|---|---|',
    `| JS a cold load fetches, gzip on the wire (KB) | ${w.weight.home.encodedKB} ${ok(w.weight.home.encodedKB <= WEB_BUDGET.homeKB)} | ${w.weight.lobby.encodedKB} ${ok(w.weight.lobby.encodedKB <= WEB_BUDGET.lobbyKB)} | ≤ ${WEB_BUDGET.homeKB} / ≤ ${WEB_BUDGET.lobbyKB} |`,
    `| the same, decoded (KB); scripts | ${w.weight.home.decodedKB}; ${w.weight.home.scripts} | ${w.weight.lobby.decodedKB}; ${w.weight.lobby.scripts} | |`,
    `| "Create lobby" usable after navigation, median / max of ${w.usable.runs} (ms) | ${w.usable.usableMs.median} ${ok(w.usable.usableMs.median <= WEB_BUDGET.usableMs)} / ${w.usable.usableMs.max} | | ≤ ${WEB_BUDGET.usableMs} |`,
    `| socket connected; lobby open after a click at the usable moment, median (ms) | ${w.usable.connectedMs.median}; ${w.usable.lobbyOpenMs.median} | | |`,
    `| Lighthouse performance (phone) | ${score(home.performance)} | ${score(lobby.performance)} | ≥ ${WEB_BUDGET.score} |`,
    `| Lighthouse accessibility | ${score(home.accessibility)} | ${score(lobby.accessibility)} | ≥ ${WEB_BUDGET.score} |`,
    `| Lighthouse best practices | ${score(home.bestPractices)} | ${score(lobby.bestPractices)} | ≥ ${WEB_BUDGET.score} |`,
    `| Lighthouse FCP / LCP / TBT (ms), CLS | ${home.fcpMs} / ${home.lcpMs} / ${home.tbtMs}, ${home.cls} | ${lobby.fcpMs} / ${lobby.lcpMs} / ${lobby.tbtMs}, ${lobby.cls} | |`,
    '',
    'Lighthouse: default mobile settings (simulated slow 4G, 4× CPU slowdown; its CPU figures scale with how busy this machine is),',
    "the lobby page as an invite link's visitor first sees it (nickname prompt). Audits below full marks: " +
      `\`/\` ${home.failing.join(', ') || 'none'}; lobby ${lobby.failing.join(', ') || 'none'}.`,
    '',
  ];
}
