import * as z from 'zod/mini';

/** A board position, 0..1 on each axis (each screen scales it to its own board). */
const unit = z.number().check(z.minimum(0), z.maximum(1));

/**
 * What players send each other over the mesh, as JSON text on the `game` topic. Peers are players, not a
 * trusted server: everything is parsed, and anything else is dropped.
 */
export const Wire = z.discriminatedUnion('t', [
  /** Where my cursor is (unreliable-ordered: only the latest matters, never an older one after it). */
  z.strictObject({ t: z.literal('cursor'), x: unit, y: unit }),
  /** I clicked here (reliable: every boop counts). */
  z.strictObject({ t: z.literal('boop'), x: unit, y: unit }),
]);
export type Wire = z.infer<typeof Wire>;

export function parseWire(text: string): Wire | null {
  try {
    const parsed = Wire.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
