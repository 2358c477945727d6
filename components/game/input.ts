/**
 * Local controls → PlayerInput, as pure logic the React layer feeds with DOM events.
 * Keyboard: WASD or arrows to move, Space (or Shift) to dash. Touch: a floating joystick (the
 * stick appears where the thumb lands) and a dash button.
 */
import type { PlayerInput } from '../../lib/game/types';

const UP = new Set(['KeyW', 'ArrowUp', 'KeyZ']); // KeyZ: AZERTY's W position
const DOWN = new Set(['KeyS', 'ArrowDown']);
const LEFT = new Set(['KeyA', 'ArrowLeft', 'KeyQ']); // KeyQ: AZERTY's A position
const RIGHT = new Set(['KeyD', 'ArrowRight']);
const DASH = new Set(['Space', 'ShiftLeft', 'ShiftRight']);

/** Keys the game handles: the page should preventDefault them (no scrolling on Space/arrows). */
export function isGameKey(code: string): boolean {
  return UP.has(code) || DOWN.has(code) || LEFT.has(code) || RIGHT.has(code) || DASH.has(code);
}

export function isDashKey(code: string): boolean {
  return DASH.has(code);
}

/** Held keys (KeyboardEvent.code) → unit-length move vector; y grows downward like the screen. */
export function keyboardVector(pressed: ReadonlySet<string>): { x: number; y: number } {
  const has = (set: Set<string>) => [...set].some((k) => pressed.has(k));
  const x = (has(RIGHT) ? 1 : 0) - (has(LEFT) ? 1 : 0);
  const y = (has(DOWN) ? 1 : 0) - (has(UP) ? 1 : 0);
  const len = Math.hypot(x, y);
  return len > 0 ? { x: x / len, y: y / len } : { x: 0, y: 0 };
}

/**
 * A dash press must reach exactly one tick even if the key goes down and up between two ticks, and
 * holding the key must not dash again: presses latch here and the tick takes them.
 */
export class DashLatch {
  private pending = false;
  press(): void {
    this.pending = true;
  }
  take(): boolean {
    const p = this.pending;
    this.pending = false;
    return p;
  }
}

export const JOYSTICK_RADIUS_PX = 56;
export const JOYSTICK_DEADZONE = 0.12;

/** Pointer offset from the stick's origin → move vector, clamped to length 1, with a rescaled deadzone. */
export function joystickVector(
  origin: { x: number; y: number },
  pointer: { x: number; y: number },
  radiusPx: number = JOYSTICK_RADIUS_PX,
  deadzone: number = JOYSTICK_DEADZONE,
): { x: number; y: number } {
  const dx = (pointer.x - origin.x) / radiusPx;
  const dy = (pointer.y - origin.y) / radiusPx;
  const len = Math.hypot(dx, dy);
  if (!(len > deadzone)) return { x: 0, y: 0 };
  const mag = Math.min(1, (len - deadzone) / (1 - deadzone));
  return { x: (dx / len) * mag, y: (dy / len) * mag };
}

export type JoystickState =
  | { kind: 'idle' }
  | { kind: 'held'; pointerId: number; origin: { x: number; y: number }; at: { x: number; y: number } };

/** A floating joystick that follows one pointer; other pointers (the dash thumb) are ignored. */
export class JoystickModel {
  private s: JoystickState = { kind: 'idle' };

  constructor(private readonly radiusPx: number = JOYSTICK_RADIUS_PX) {}

  get state(): JoystickState {
    return this.s;
  }

  down(pointerId: number, x: number, y: number): void {
    if (this.s.kind === 'idle') this.s = { kind: 'held', pointerId, origin: { x, y }, at: { x, y } };
  }

  move(pointerId: number, x: number, y: number): void {
    if (this.s.kind !== 'held' || this.s.pointerId !== pointerId) return;
    // Drag past the rim and the base follows the thumb, so reversing direction is instant.
    const dx = x - this.s.origin.x;
    const dy = y - this.s.origin.y;
    const len = Math.hypot(dx, dy);
    const origin =
      len > this.radiusPx
        ? { x: x - (dx / len) * this.radiusPx, y: y - (dy / len) * this.radiusPx }
        : this.s.origin;
    this.s = { ...this.s, origin, at: { x, y } };
  }

  up(pointerId: number): void {
    if (this.s.kind === 'held' && this.s.pointerId === pointerId) this.s = { kind: 'idle' };
  }

  vector(): { x: number; y: number } {
    return this.s.kind === 'held' ? joystickVector(this.s.origin, this.s.at, this.radiusPx) : { x: 0, y: 0 };
  }
}

/** One tick's input: the joystick wins while held, else the keyboard; a latched dash fires once. */
export function sampleInput(
  keys: ReadonlySet<string>,
  joystick: JoystickModel,
  dash: DashLatch,
): PlayerInput {
  const stick = joystick.state.kind === 'held' ? joystick.vector() : keyboardVector(keys);
  return { x: stick.x, y: stick.y, dash: dash.take() };
}
