import * as z from 'zod/mini';
import { cleanText, MAX_CHAT_CHARS, PlayerId } from '../../protocol';

/** The host sends a newcomer this many of its latest messages. */
export const CHAT_HISTORY_SENT = 50;
/** Messages kept on each page; older ones scroll away for good. */
export const CHAT_KEPT = 200;
/** Chat-like traffic (OWASP starts at ~100/min): per sender, enforced by the sender and by every receiver. */
export const CHAT_RATE_MESSAGES = 20;
export const CHAT_RATE_WINDOW_MS = 10_000;
/** A history message of CHAT_HISTORY_SENT full messages, every character escaped, stays under this. */
export const MAX_CHAT_WIRE_CHARS = 128 * 1024;

export const ChatMessageId = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,32}$/));

/** Text as typed, capped, then cleaned (control and bidi characters stripped); never empty. */
export const ChatText = z.pipe(
  z.pipe(
    z.string().check(z.maxLength(MAX_CHAT_CHARS)),
    z.transform((s: string) => cleanText(s).trim()),
  ),
  z.string().check(z.minLength(1)),
);

const HistoryEntry = z.strictObject({
  id: ChatMessageId,
  authorId: PlayerId,
  text: ChatText,
  /** The host's clock, ms since the epoch. */
  at: z.int().check(z.nonnegative()),
});

/**
 * What travels on the `chat` topic (reliable channel), as JSON. A message names no author: the
 * receiver knows who sent it (the Mesh stamps the peer id). Only history names authors, and only
 * the host's history is accepted.
 */
export const ChatWire = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('message'), id: ChatMessageId, text: ChatText }),
  z.strictObject({
    type: z.literal('history'),
    messages: z.array(HistoryEntry).check(z.maxLength(CHAT_HISTORY_SENT)),
  }),
]);

export type ChatWire = z.infer<typeof ChatWire>;
export type ChatWireInput = z.input<typeof ChatWire>;

/** Parses one chat payload into the union, or null (wrong type, too big, bad JSON, invalid fields). */
export function parseChatWire(data: string | Uint8Array): ChatWire | null {
  if (typeof data !== 'string' || data.length > MAX_CHAT_WIRE_CHARS) return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = ChatWire.safeParse(json);
  return parsed.success ? parsed.data : null;
}
