'use client';

import { useEffect, useRef } from 'react';
import type { GameSession } from '@/lib/game/session/GameSession';
import type { RenderState } from '@/lib/game/renderState';
import type { GameAnnouncer } from './announce';
import { renderArena, type Viewport } from './renderArena';

const IDLE_FILL = '#05070d';

/**
 * Test hook: own puck positions as `slot:x,y,status;…` (0.1 u). Written to the canvas's data-pucks
 * only when it changes, so pucks at rest cost nothing.
 */
function formatPucks(rs: RenderState): string {
  return rs.pucks.map((p) => `${p.slot}:${p.x.toFixed(1)},${p.y.toFixed(1)},${p.status}`).join(';');
}

/**
 * The arena, drawn every animation frame at the device's pixel density. The rAF timestamp and the
 * game's scheduler share one clock (performance.now), so interpolation sees consistent time.
 */
export function GameCanvas({
  session,
  announcer,
  label,
}: {
  session: GameSession;
  announcer: GameAnnouncer;
  label: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const viewport: Viewport = { width: 0, height: 0, devicePixelRatio: 1 };
    const resize = () => {
      const rect = canvas.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      viewport.width = rect.width;
      viewport.height = rect.height;
      viewport.devicePixelRatio = dpr;
      canvas.width = Math.max(1, Math.round(rect.width * dpr));
      canvas.height = Math.max(1, Math.round(rect.height * dpr));
    };
    const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
    const observer = new ResizeObserver(resize);
    observer.observe(canvas);
    resize();
    let raf = 0;
    let shownPucks: string | null = null;
    let shownTick: number | null = null;
    let shownDelay: number | null = null;
    const frame = (t: number) => {
      raf = requestAnimationFrame(frame);
      // Zooming changes the pixel ratio without resizing the element.
      if ((window.devicePixelRatio || 1) !== viewport.devicePixelRatio) resize();
      const rs = session.frame(t);
      announcer.observe(rs);
      if (rs && viewport.width > 0)
        renderArena(ctx, rs, viewport, t, reducedMotion.matches ? 'reduced' : 'full');
      else {
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.fillStyle = IDLE_FILL;
        ctx.fillRect(0, 0, canvas.width, canvas.height);
      }
      const pucks = rs ? formatPucks(rs) : '';
      if (pucks !== shownPucks) canvas.dataset.pucks = shownPucks = pucks;
      const tick = session.tick;
      if (tick !== shownTick) canvas.dataset.tick = String((shownTick = tick) ?? '');
      const delay = session.interpDelayMs === null ? null : Math.round(session.interpDelayMs);
      if (delay !== shownDelay) canvas.dataset.interpDelay = String((shownDelay = delay) ?? '');
    };
    raf = requestAnimationFrame(frame);
    return () => {
      cancelAnimationFrame(raf);
      observer.disconnect();
    };
  }, [session, announcer]);

  return (
    <canvas
      ref={ref}
      role="img"
      aria-label={label}
      data-testid="game-canvas"
      className="absolute inset-0 block h-full w-full"
    />
  );
}
