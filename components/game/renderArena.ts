/**
 * Draws one Ring Out frame. A pure function of (ctx, state, viewport, time): no DOM lookups, no
 * randomness (particle angles come from the burst's seed), no state kept between frames. Text goes
 * through fillText only, so nicknames can never become markup.
 */
import { assertNever } from '../../lib/protocol/errors';
import { PUCK_RADIUS_U } from '../../lib/game/constants';
import type { RenderBurst, RenderPuck, RenderState } from '../../lib/game/renderState';

export interface Viewport {
  /** CSS pixels. */
  width: number;
  height: number;
  devicePixelRatio: number;
}

const BG_INNER = '#111827';
const BG_OUTER = '#05070d';
const FLOOR = '#0f1a2e';
const RING_CALM = [56, 189, 248] as const; // sky
const RING_DANGER = [244, 63, 94] as const; // rose
const TEXT = '#e5e7eb';
const MUTED = '#94a3b8';
const MARGIN_U = 40;
const BURST_PARTICLES = 14;
const BURST_MS = 1200;
const MAX_LABEL_CHARS = 14;
/** Width the canvas scoreboard needs left of the ring: 14-character names and a score at 14 px. */
export const SCOREBOARD_ROOM_PX = 176;

/** World units → CSS pixels: the start ring plus a margin fits the shorter side. */
export function worldScale(viewport: Viewport, arenaStartRadius: number): number {
  return Math.min(viewport.width, viewport.height) / 2 / (arenaStartRadius + MARGIN_U);
}

const mix = (a: readonly number[], b: readonly number[], f: number) =>
  a.map((v, i) => Math.round(v + (b[i]! - v) * f));
const rgba = (c: readonly number[], alpha: number) => `rgba(${c[0]},${c[1]},${c[2]},${alpha.toFixed(3)})`;

/** A stable pseudo-random number in [0, 1) from integers: deterministic sparkle. */
function hash01(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) / 4294967296;
}

/**
 * `reduced` (prefers-reduced-motion): nothing pulses, beats, trails or flies apart; a knock-out is a
 * ring that fades where the puck fell. Time then plays no part in the picture.
 */
export type Motion = 'full' | 'reduced';

export function renderArena(
  ctx: CanvasRenderingContext2D,
  rs: RenderState,
  viewport: Viewport,
  clockMs: number,
  motion: Motion = 'full',
): void {
  const { width, height, devicePixelRatio: dpr } = viewport;
  const timeMs = motion === 'reduced' ? 0 : clockMs;
  ctx.save();
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  drawBackground(ctx, width, height);
  const scale = worldScale(viewport, rs.arenaStartRadius);
  ctx.save();
  ctx.translate(width / 2, height / 2);
  ctx.scale(scale, scale);
  drawArena(ctx, rs, timeMs);
  if (motion === 'full') for (const p of rs.pucks) if (p.status !== 'spectator') drawTrail(ctx, p);
  // Fallen pucks below, live ones on top, own puck last.
  const order = [...rs.pucks].sort((a, b) => rank(a) - rank(b));
  for (const p of order) drawPuck(ctx, p, rs.arenaRadius, timeMs);
  for (const b of rs.bursts) drawBurst(ctx, b, motion);
  ctx.restore();
  drawHud(ctx, rs, width, height, timeMs);
  ctx.restore();
}

const rank = (p: RenderPuck) => (p.status === 'out' ? 0 : p.isSelf ? 2 : 1);

function drawBackground(ctx: CanvasRenderingContext2D, w: number, h: number): void {
  const g = ctx.createRadialGradient(w / 2, h / 2, 0, w / 2, h / 2, Math.hypot(w, h) / 2);
  g.addColorStop(0, BG_INNER);
  g.addColorStop(1, BG_OUTER);
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, w, h);
}

function drawArena(ctx: CanvasRenderingContext2D, rs: RenderState, timeMs: number): void {
  // Where the ring started: a faint dashed memory of the lost ground.
  ctx.setLineDash([6, 10]);
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = 'rgba(148,163,184,0.18)';
  ctx.beginPath();
  ctx.arc(0, 0, rs.arenaStartRadius, 0, Math.PI * 2);
  ctx.stroke();
  ctx.setLineDash([]);

  const floor = ctx.createRadialGradient(0, 0, 0, 0, 0, rs.arenaRadius);
  floor.addColorStop(0, '#15223b');
  floor.addColorStop(1, FLOOR);
  ctx.fillStyle = floor;
  ctx.beginPath();
  ctx.arc(0, 0, rs.arenaRadius, 0, Math.PI * 2);
  ctx.fill();

  // The edge glows hotter as the ring shrinks and pulses faster while it is shrinking.
  const lost = 1 - rs.arenaRadius / rs.arenaStartRadius;
  const color = mix(RING_CALM, RING_DANGER, Math.min(1, lost * 1.6));
  const hz = rs.shrinking ? 2.2 : 0.6;
  const pulse = 0.5 + 0.5 * Math.sin((timeMs / 1000) * Math.PI * 2 * hz);
  ctx.shadowColor = rgba(color, 0.9);
  ctx.shadowBlur = 18 + pulse * 18;
  ctx.strokeStyle = rgba(color, 0.75 + pulse * 0.25);
  ctx.lineWidth = 5 + pulse * 3;
  ctx.beginPath();
  ctx.arc(0, 0, rs.arenaRadius, 0, Math.PI * 2);
  ctx.stroke();
  ctx.shadowBlur = 0;
}

function drawTrail(ctx: CanvasRenderingContext2D, p: RenderPuck): void {
  p.trail.forEach((t, i) => {
    const f = (i + 1) / (p.trail.length + 1);
    ctx.globalAlpha = 0.35 * f;
    ctx.fillStyle = p.color;
    ctx.beginPath();
    ctx.arc(t.x, t.y, PUCK_RADIUS_U * (0.5 + 0.5 * f), 0, Math.PI * 2);
    ctx.fill();
  });
  ctx.globalAlpha = 1;
}

function drawPuck(ctx: CanvasRenderingContext2D, p: RenderPuck, arenaRadius: number, timeMs: number): void {
  if (p.status === 'spectator') return;
  // A fallen puck shrinks and fades as it slides away from the edge: it is falling off the stage.
  const beyond = Math.max(0, Math.hypot(p.x, p.y) - arenaRadius);
  const fall = p.status === 'out' ? Math.max(0.15, 1 - beyond / 160) : 1;
  const r = PUCK_RADIUS_U * fall;
  ctx.globalAlpha = p.status === 'out' ? 0.35 * fall : 1;
  ctx.shadowColor = p.color;
  ctx.shadowBlur = p.dashing ? 28 : 14;
  const body = ctx.createRadialGradient(p.x - r * 0.35, p.y - r * 0.35, r * 0.1, p.x, p.y, r);
  body.addColorStop(0, '#ffffff');
  body.addColorStop(0.25, p.color);
  body.addColorStop(1, p.color);
  ctx.fillStyle = body;
  ctx.beginPath();
  ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
  ctx.fill();
  ctx.shadowBlur = 0;
  if (p.isSelf && p.status === 'alive') {
    ctx.strokeStyle = `rgba(255,255,255,${(0.7 + 0.3 * Math.sin(timeMs / 180)).toFixed(3)})`;
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.arc(p.x, p.y, r + 5, 0, Math.PI * 2);
    ctx.stroke();
  }
  const speed = Math.hypot(p.vx, p.vy);
  if (p.status === 'alive' && speed > 30) {
    // A small notch shows where the puck is heading.
    const a = Math.atan2(p.vy, p.vx);
    ctx.strokeStyle = 'rgba(255,255,255,0.85)';
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.arc(p.x, p.y, r - 5, a - 0.35, a + 0.35);
    ctx.stroke();
  }
  ctx.font = '600 13px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillStyle = p.isSelf ? '#ffffff' : TEXT;
  ctx.fillText(label(p.nickname), p.x, p.y - r - 8);
  ctx.globalAlpha = 1;
}

const label = (s: string) => (s.length > MAX_LABEL_CHARS ? `${s.slice(0, MAX_LABEL_CHARS - 1)}…` : s);

function drawBurst(ctx: CanvasRenderingContext2D, b: RenderBurst, motion: Motion): void {
  const t = Math.min(1, b.ageMs / BURST_MS);
  if (motion === 'reduced') {
    ctx.globalAlpha = 1 - t;
    ctx.strokeStyle = b.color;
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.arc(b.x, b.y, PUCK_RADIUS_U + 30, 0, Math.PI * 2);
    ctx.stroke();
    ctx.globalAlpha = 1;
    return;
  }
  const ease = 1 - (1 - t) * (1 - t);
  ctx.globalAlpha = 1 - t;
  ctx.strokeStyle = b.color;
  ctx.lineWidth = 4 * (1 - t) + 1;
  ctx.beginPath();
  ctx.arc(b.x, b.y, PUCK_RADIUS_U + ease * 90, 0, Math.PI * 2);
  ctx.stroke();
  ctx.fillStyle = b.color;
  for (let i = 0; i < BURST_PARTICLES; i++) {
    const angle = ((i + hash01(b.seed, i)) / BURST_PARTICLES) * Math.PI * 2;
    const dist = PUCK_RADIUS_U + ease * (60 + 80 * hash01(i, b.seed));
    ctx.beginPath();
    ctx.arc(b.x + Math.cos(angle) * dist, b.y + Math.sin(angle) * dist, 4 * (1 - t) + 1, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.globalAlpha = 1;
}

function drawHud(ctx: CanvasRenderingContext2D, rs: RenderState, w: number, h: number, timeMs: number): void {
  ctx.textBaseline = 'top';
  ctx.font = '600 14px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.fillStyle = MUTED;
  ctx.fillText(`Round ${rs.round}/${rs.roundsTotal}`, 16, 14);
  // The scoreboard goes beside the ring only where it cannot cover it; narrower stages (phones) show
  // it in the page below the arena instead (GameHud's ScoreChips).
  const ringLeft =
    w / 2 -
    rs.arenaStartRadius * worldScale({ width: w, height: h, devicePixelRatio: 1 }, rs.arenaStartRadius);
  if (ringLeft >= SCOREBOARD_ROOM_PX)
    rs.scoreboard.slice(0, 8).forEach((line, i) => {
      ctx.fillStyle = line.color;
      ctx.fillRect(16, 40 + i * 20, 10, 10);
      ctx.fillStyle = line.isSelf ? '#ffffff' : TEXT;
      ctx.fillText(`${label(line.nickname)}  ${line.score}`, 32, 37 + i * 20);
    });
  if (rs.phase === 'play') {
    ctx.textAlign = 'right';
    ctx.fillStyle = rs.secondsLeft <= 10 ? '#fb7185' : TEXT;
    ctx.font = '700 20px system-ui, sans-serif';
    ctx.fillText(`${rs.secondsLeft}s`, w - 16, 12);
    if (rs.selfSlot !== null) drawDashMeter(ctx, rs.dashReady, w - 16, 44);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const banner = (text: string, sub?: string) => {
    // Shrink the headline to fit narrow (phone) arenas rather than clip it.
    ctx.font = '800 44px system-ui, sans-serif';
    const fit = Math.min(1, (w - 32) / Math.max(1, ctx.measureText(text).width));
    if (fit < 1) ctx.font = `800 ${Math.floor(44 * fit)}px system-ui, sans-serif`;
    ctx.fillStyle = '#ffffff';
    ctx.shadowColor = 'rgba(0,0,0,0.6)';
    ctx.shadowBlur = 12;
    ctx.fillText(text, w / 2, h / 2 - 10);
    ctx.shadowBlur = 0;
    if (sub) {
      ctx.font = '500 16px system-ui, sans-serif';
      ctx.fillStyle = TEXT;
      ctx.fillText(sub, w / 2, h / 2 + 30);
    }
  };
  const names = (slots: number[]) =>
    slots.map((s) => rs.scoreboard.find((l) => l.slot === s)?.nickname ?? '?').join(' & ');
  switch (rs.phase) {
    case 'countdown': {
      const beat = 1 - ((timeMs % 1000) / 1000) * 0.25;
      ctx.globalAlpha = beat;
      banner(String(rs.secondsLeft), rs.round === 1 ? 'Push everyone out of the ring!' : undefined);
      ctx.globalAlpha = 1;
      break;
    }
    case 'roundOver':
      banner(
        rs.winners.length
          ? `${names(rs.winners)} ${rs.winners.length > 1 ? 'survive' : 'wins the round'}`
          : 'Nobody survived',
        `Next round in ${rs.secondsLeft}s`,
      );
      break;
    case 'matchOver':
      banner(
        rs.winners.length
          ? `${names(rs.winners)} ${rs.winners.length > 1 ? 'share the win' : 'wins the match'}!`
          : 'Match over',
        'Rematch?',
      );
      break;
    case 'play':
      break;
    default:
      assertNever(rs.phase);
  }
}

function drawDashMeter(ctx: CanvasRenderingContext2D, ready: number, right: number, top: number): void {
  const width = 90;
  ctx.fillStyle = 'rgba(148,163,184,0.25)';
  ctx.fillRect(right - width, top, width, 6);
  ctx.fillStyle = ready >= 1 ? '#34d399' : '#fbbf24';
  ctx.fillRect(right - width, top, width * Math.max(0, Math.min(1, ready)), 6);
  ctx.font = '500 11px system-ui, sans-serif';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'top';
  ctx.fillStyle = MUTED;
  // No key named: touch players dash with the Dash button; the keyboard hint under the canvas names Space.
  ctx.fillText(ready >= 1 ? 'DASH ready' : 'dash…', right, top + 10);
}
