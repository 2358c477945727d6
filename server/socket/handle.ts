import type { Logger } from 'pino';
import * as z from 'zod/mini';
import { ErrorCode, fail, type ClientEventName, type Result } from '../../lib/protocol';
import { isStoreUnavailable } from '../store/errors';
import { guardOf } from './guard';
import type { IoSocket } from './types';

/**
 * One acked event's listener: rate limits first, then parse the payload with its schema, run the
 * use case, ack a typed result. A store outage becomes UNAVAILABLE (the client may retry); anything
 * else thrown becomes INTERNAL for the client and a log line for us. An event sent without an ack
 * callback is ignored: every client event expects one.
 *
 * The listener is made once per server and shared by every socket (socket.io calls it with `this`
 * set to the socket): per-connection closures are most of a joined player's memory.
 */
export function acked<S extends z.core.$ZodType, T>(
  log: Logger,
  event: ClientEventName,
  schema: S,
  run: (socket: IoSocket, input: z.infer<S>) => Promise<Result<T>>,
) {
  // Compiled once per server (see signalHandlers.ts); invalid input falls back to zod's runtime parser.
  const parser = z.compile(schema);
  return async function listener(this: IoSocket, payload: unknown, sink: unknown) {
    if (typeof sink !== 'function') return;
    const guard = guardOf(this);
    // Rate limits before parsing, so a flood costs little; every answer is counted (metrics, S4, S9).
    const ack = (result: Result<unknown>) => {
      guard?.answered(event, result);
      sink(result);
    };
    const refusal = await guard?.admit(event);
    if (refusal) return ack(fail(refusal));
    const parsed = z.safeParse(parser, payload);
    if (!parsed.success) return ack(fail(ErrorCode.INVALID_PAYLOAD));
    try {
      ack(await run(this, parsed.data));
    } catch (err) {
      if (isStoreUnavailable(err)) {
        log.warn({ event, reason: err.reason }, 'lobby store unavailable');
        return ack(fail(ErrorCode.UNAVAILABLE));
      }
      log.error({ err, event }, 'handler failed');
      ack(fail(ErrorCode.INTERNAL));
    }
  };
}
