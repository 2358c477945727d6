'use client';

import { useRef, type PointerEvent } from 'react';
import { JOYSTICK_RADIUS_PX } from './input';
import type { LocalControls } from './controls';

const KNOB_PX = 44;

/**
 * Touch: a floating joystick (the stick appears where the thumb lands in the left pad) and a dash
 * button on the right. The knob is moved through refs, not React state: pointer moves come at
 * display rate and nothing else on the page depends on them.
 */
export function TouchControls({ controls }: { controls: LocalControls }) {
  const pad = useRef<HTMLDivElement>(null);
  const base = useRef<HTMLDivElement>(null);
  const knob = useRef<HTMLDivElement>(null);
  const hint = useRef<HTMLSpanElement>(null);

  const draw = () => {
    const s = controls.joystick.state;
    const held = s.kind === 'held';
    for (const el of [base.current, knob.current]) if (el) el.style.visibility = held ? 'visible' : 'hidden';
    if (hint.current) hint.current.style.visibility = held ? 'hidden' : 'visible';
    if (!held) return;
    const dx = s.at.x - s.origin.x;
    const dy = s.at.y - s.origin.y;
    const len = Math.hypot(dx, dy);
    const k = len > JOYSTICK_RADIUS_PX ? JOYSTICK_RADIUS_PX / len : 1;
    base.current!.style.transform = `translate(${s.origin.x - JOYSTICK_RADIUS_PX}px, ${s.origin.y - JOYSTICK_RADIUS_PX}px)`;
    knob.current!.style.transform = `translate(${s.origin.x + dx * k - KNOB_PX / 2}px, ${s.origin.y + dy * k - KNOB_PX / 2}px)`;
  };
  const local = (e: PointerEvent<HTMLDivElement>) => {
    const r = pad.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const onDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    const p = local(e);
    controls.stickDown(e.pointerId, p.x, p.y);
    draw();
  };
  const onMove = (e: PointerEvent<HTMLDivElement>) => {
    const p = local(e);
    controls.stickMove(e.pointerId, p.x, p.y);
    draw();
  };
  const onUp = (e: PointerEvent<HTMLDivElement>) => {
    controls.stickUp(e.pointerId);
    draw();
  };

  return (
    <div className="flex h-32 items-center gap-3 select-none" data-testid="touch-controls">
      <div
        ref={pad}
        role="application"
        aria-label="Movement pad: touch and drag to move"
        className="relative h-full flex-1 touch-none overflow-hidden rounded-2xl bg-slate-900/80 ring-1 ring-slate-800"
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
        onPointerCancel={onUp}
      >
        <span
          ref={hint}
          className="pointer-events-none absolute inset-0 flex items-center justify-center text-sm text-slate-400"
        >
          Touch &amp; drag to move
        </span>
        <div
          ref={base}
          className="pointer-events-none absolute top-0 left-0 rounded-full bg-slate-700/40 ring-2 ring-slate-500/60"
          style={{ width: JOYSTICK_RADIUS_PX * 2, height: JOYSTICK_RADIUS_PX * 2, visibility: 'hidden' }}
        />
        <div
          ref={knob}
          className="pointer-events-none absolute top-0 left-0 rounded-full bg-slate-200/90 shadow-lg"
          style={{ width: KNOB_PX, height: KNOB_PX, visibility: 'hidden' }}
        />
      </div>
      <button
        type="button"
        className="size-32 shrink-0 touch-none rounded-full bg-amber-400 text-lg font-extrabold tracking-wide text-slate-950 shadow-lg ring-4 ring-amber-200/30 active:bg-amber-300"
        onPointerDown={(e) => {
          e.preventDefault();
          controls.pressDash();
        }}
        // Keyboard and assistive activation (a pointer press already dashed on pointerdown).
        onClick={(e) => e.detail === 0 && controls.pressDash()}
      >
        Dash
      </button>
    </div>
  );
}
