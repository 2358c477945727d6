/**
 * This page's controls as one object outside React: held keys, the touch joystick and the dash
 * latch; the GameClient samples it once per tick. Edges (a key down or up, the stick starting or
 * stopping, a dash) are also reported at once through `onEdge`, so the game can send them without
 * waiting for its tick; continuous stick motion waits for the tick. The keyboard listener leaves
 * typing alone (chat, forms) and lets Space press a focused button.
 */
import type { PlayerInput } from '../../lib/game/types';
import { DashLatch, isDashKey, isGameKey, JoystickModel, sampleInput } from './input';

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

function isPressable(target: EventTarget | null): boolean {
  return target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement;
}

export class LocalControls {
  private readonly keys = new Set<string>();
  private readonly dash = new DashLatch();
  readonly joystick = new JoystickModel();
  private stickMoving = false;

  /** Called when the input changes in a way worth sending before the next tick. */
  onEdge: () => void = () => {};

  /** One tick's input (GameClient's readInput). */
  readonly sample = (): PlayerInput => sampleInput(this.keys, this.joystick, this.dash);

  pressDash(): void {
    this.dash.press();
    this.onEdge();
  }

  /** Touch pad events; the stick leaving or entering its dead zone is an edge. */
  stickDown(pointerId: number, x: number, y: number): void {
    this.joystick.down(pointerId, x, y);
    this.stickEdge();
  }

  stickMove(pointerId: number, x: number, y: number): void {
    this.joystick.move(pointerId, x, y);
    this.stickEdge();
  }

  stickUp(pointerId: number): void {
    this.joystick.up(pointerId);
    this.stickEdge();
  }

  private stickEdge(): void {
    const v = this.joystick.vector();
    const moving = v.x !== 0 || v.y !== 0;
    if (moving === this.stickMoving) return;
    this.stickMoving = moving;
    this.onEdge();
  }

  /** `active`: whether a match is on; otherwise the keys keep their page meaning (scrolling). Returns the remover. */
  attachKeyboard(target: Window, active: () => boolean): () => void {
    const down = (e: KeyboardEvent) => {
      if (!active() || !isGameKey(e.code) || isTextEntry(e.target) || e.metaKey || e.ctrlKey || e.altKey)
        return;
      if (e.code === 'Space' && isPressable(e.target)) return;
      e.preventDefault();
      if (isDashKey(e.code) && !e.repeat) this.dash.press();
      const fresh = !this.keys.has(e.code);
      this.keys.add(e.code);
      if (fresh) this.onEdge();
    };
    const up = (e: KeyboardEvent) => {
      if (!this.keys.delete(e.code)) return;
      e.preventDefault();
      this.onEdge();
    };
    // A key released while the window had no focus never sends keyup: forget everything held.
    const blur = () => {
      if (this.keys.size === 0) return;
      this.keys.clear();
      this.onEdge();
    };
    target.addEventListener('keydown', down);
    target.addEventListener('keyup', up);
    target.addEventListener('blur', blur);
    return () => {
      target.removeEventListener('keydown', down);
      target.removeEventListener('keyup', up);
      target.removeEventListener('blur', blur);
      this.keys.clear();
    };
  }
}
