import { describe, expect, it } from 'vitest';
import { playerColor } from '../../components/format/meshFormat';

/** WCAG relative luminance of an sRGB color given as 0–1 channels. */
const luminance = ([r, g, b]: number[]) => {
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
};
const contrast = (a: number[], b: number[]) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};
/** `hsl(H S% L%)` → 0–1 sRGB channels. */
const fromHsl = (css: string) => {
  const [h, s, l] = css.match(/[\d.]+/g)!.map(Number) as [number, number, number];
  const a = (s / 100) * Math.min(l / 100, 1 - l / 100);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return l / 100 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return [f(0), f(8), f(4)];
};
const hex = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16) / 255);

describe('player colors', () => {
  // Ids whose hue covers every degree (the hash is the Avatar's and the chat's).
  const ids = Array.from({ length: 5000 }, (_, i) => `p${i}`);

  it('keep WCAG AA (4.5:1) under the avatar initial (slate-950) and as chat names on the dark panels', () => {
    const worst = Math.min(
      ...ids.flatMap((id) => {
        const c = fromHsl(playerColor(id));
        return [hex('#020617'), hex('#0f172a')].map((bg) => contrast(c, bg));
      }),
    );
    expect(new Set(ids.map((id) => playerColor(id))).size).toBe(360);
    expect(worst).toBeGreaterThanOrEqual(4.5);
  });
});
