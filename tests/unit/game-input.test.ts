import { describe, expect, it } from 'vitest';
import {
  DashLatch,
  JoystickModel,
  joystickVector,
  keyboardVector,
  sampleInput,
} from '../../components/game/input';

describe('keyboard and touch input', () => {
  it('maps WASD and arrows to a unit vector (diagonals normalized, opposites cancel)', () => {
    expect(keyboardVector(new Set(['KeyD']))).toEqual({ x: 1, y: 0 });
    expect(keyboardVector(new Set(['ArrowUp']))).toEqual({ x: 0, y: -1 });
    const d = keyboardVector(new Set(['KeyW', 'KeyD']));
    expect(Math.hypot(d.x, d.y)).toBeCloseTo(1);
    expect(keyboardVector(new Set(['KeyA', 'KeyD']))).toEqual({ x: 0, y: 0 });
  });

  it('a dash press fires exactly one tick', () => {
    const latch = new DashLatch();
    latch.press();
    latch.press();
    expect(latch.take()).toBe(true);
    expect(latch.take()).toBe(false);
  });

  it('joystick: deadzone, clamping, direction', () => {
    expect(joystickVector({ x: 0, y: 0 }, { x: 3, y: 0 }, 50)).toEqual({ x: 0, y: 0 });
    expect(joystickVector({ x: 0, y: 0 }, { x: 500, y: 0 }, 50)).toEqual({ x: 1, y: 0 });
    const half = joystickVector({ x: 10, y: 10 }, { x: 10, y: 40 }, 50, 0);
    expect(half.x).toBeCloseTo(0);
    expect(half.y).toBeCloseTo(0.6);
  });

  it('the floating stick follows its own pointer only, and its base follows past the rim', () => {
    const j = new JoystickModel(50);
    j.down(1, 100, 100);
    j.down(2, 300, 300); // the dash thumb
    j.move(2, 0, 0);
    expect(j.vector()).toEqual({ x: 0, y: 0 });
    j.move(1, 300, 100);
    expect(j.vector().x).toBeCloseTo(1);
    j.move(1, 200, 100); // reverse: the base moved to 250, so this is already full left
    expect(j.vector().x).toBeCloseTo(-1);
    j.up(1);
    expect(j.state.kind).toBe('idle');
  });

  it('sampleInput prefers a held joystick over keys', () => {
    const j = new JoystickModel(50);
    const latch = new DashLatch();
    expect(sampleInput(new Set(['KeyD']), j, latch)).toEqual({ x: 1, y: 0, dash: false });
    j.down(1, 0, 0);
    j.move(1, 0, -100);
    latch.press();
    const s = sampleInput(new Set(['KeyD']), j, latch);
    expect(s.x).toBeCloseTo(0);
    expect(s.y).toBeCloseTo(-1);
    expect(s.dash).toBe(true);
  });
});
