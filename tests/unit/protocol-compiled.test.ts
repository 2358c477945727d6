import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  CreateLobbyInput,
  JoinLobbyInput,
  KickInput,
  RelayInput,
  SignalInput,
  UpdateSettingsInput,
} from '../../lib/protocol';

/**
 * The server parses its hot-path schemas with zod's ahead-of-time `compile` (a generated parser,
 * runtime fallback on failure). It must accept, reject and output exactly what the runtime parser does.
 */
const candidate = fc.record(
  {
    candidate: fc.oneof(fc.string({ maxLength: 40 }), fc.constant('x'.repeat(3000))),
    sdpMid: fc.oneof(fc.string({ maxLength: 4 }), fc.constant(null), fc.integer()),
    sdpMLineIndex: fc.oneof(fc.integer({ min: -2, max: 2000 }), fc.constant(null), fc.double()),
    usernameFragment: fc.oneof(fc.string({ maxLength: 8 }), fc.constant(null)),
    extra: fc.anything(),
  },
  { requiredKeys: [] },
);
const description = fc.record(
  {
    type: fc.constantFrom('offer', 'answer', 'pranswer', 1),
    sdp: fc.oneof(fc.string({ maxLength: 40 }), fc.constant('v'.repeat(70_000))),
  },
  { requiredKeys: [] },
);
const signal = fc.oneof(
  fc.record({ type: fc.constant('candidate'), candidate }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('description'), description }, { requiredKeys: ['type'] }),
  fc.anything(),
);
const signalInput = fc.oneof(
  fc.record(
    {
      to: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{8,32}$/), fc.string({ maxLength: 40 })),
      negotiationId: fc.oneof(fc.integer({ min: -5, max: 2 ** 31 + 5 }), fc.double(), fc.string()),
      signal,
      from: fc.string(),
    },
    { requiredKeys: [] },
  ),
  fc.anything(),
);

const same = (schema: z.core.$ZodType, input: unknown) => {
  const runtime = z.safeParse(schema, input);
  const compiled = z.safeParse(z.compile(schema), input);
  expect(compiled.success).toBe(runtime.success);
  if (runtime.success && compiled.success) expect(compiled.data).toEqual(runtime.data);
  else expect(compiled.error?.issues.map((i) => i.code)).toEqual(runtime.error?.issues.map((i) => i.code));
};

// Bounded by run counts; the time limit is only generous for a loaded 2-core machine (~1 s when idle).
describe('compiled protocol schemas (server hot path)', { timeout: 60_000 }, () => {
  it('signal input: same verdict, same output, same error codes as the runtime parser', () => {
    fc.assert(
      fc.property(signalInput, (input) => same(SignalInput, input)),
      { numRuns: 2000 },
    );
  });

  it('relay input and lobby commands agree too', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 20 }),
      fc.constant(new Uint8Array(20_000)),
      fc.anything(),
    );
    fc.assert(
      fc.property(
        fc.record({ to: fc.string({ maxLength: 40 }), data: bytes }, { requiredKeys: [] }),
        (input) => same(RelayInput, input),
      ),
    );
    for (const schema of [CreateLobbyInput, JoinLobbyInput, KickInput, UpdateSettingsInput]) {
      fc.assert(
        fc.property(fc.anything(), (input) => same(schema, input)),
        { numRuns: 300 },
      );
    }
    same(CreateLobbyInput, { nickname: '  Ann  ', name: 'Room', visibility: 'public' });
    same(JoinLobbyInput, { nickname: 'Ben', code: ' abcdef ' });
    same(KickInput, { playerId: 'abcdefgh' });
  });
});
