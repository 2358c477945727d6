import type { Logger } from 'pino';
import type { z } from 'zod';
import { ErrorCode, fail, type ClientEventName, type Result } from '../../lib/protocol';
import { isStoreUnavailable } from '../store/errors';
import { guardOf } from './guard';
import type { IoSocket } from './types';

/**
 * Registers one acked event: parse the payload with its schema, run the use case, ack a typed
 * result. A store outage becomes UNAVAILABLE (the client may retry); anything else thrown becomes
 * INTERNAL for the client and a log line for us. An event sent without an ack callback is ignored:
 * every client event expects one.
 */
export function handle<S extends z.ZodType, T>(
  socket: IoSocket,
  log: Logger,
  event: ClientEventName,
  schema: S,
  run: (input: z.infer<S>) => Promise<Result<T>>,
) {
  const guard = guardOf(socket);
  const listener = async (payload: unknown, sink: unknown) => {
    if (typeof sink !== 'function') return;
    // Rate limits before parsing, so a flood costs little; every answer is counted (metrics, S4, S9).
    const ack = (result: Result<unknown>) => {
      guard?.answered(event, result);
      sink(result);
    };
    const refusal = await guard?.admit(event);
    if (refusal) return ack(fail(refusal));
    const parsed = schema.safeParse(payload);
    if (!parsed.success) return ack(fail(ErrorCode.INVALID_PAYLOAD));
    try {
      ack(await run(parsed.data));
    } catch (err) {
      if (isStoreUnavailable(err)) {
        log.warn({ event, reason: err.reason }, 'lobby store unavailable');
        return ack(fail(ErrorCode.UNAVAILABLE));
      }
      log.error({ err, event }, 'handler failed');
      ack(fail(ErrorCode.INTERNAL));
    }
  };
  // socket.io's typed `on` wants the exact signature per event; every handler here has the same shape.
  (socket.on as (ev: string, fn: typeof listener) => void)(event, listener);
}
