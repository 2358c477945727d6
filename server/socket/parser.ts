import { createRequire } from 'node:module';
import type * as Parser from 'socket.io-parser';

// socket.io-parser's ESM entry for Node is its debug build (a `debug()` call per packet encoded and
// decoded, ~1 % of the relay path's CPU in a profile); socket.io itself requires the CommonJS build,
// which has none. Same code otherwise.
const { Decoder, Encoder, PacketType, protocol } = createRequire(import.meta.url)(
  'socket.io-parser',
) as typeof Parser;

/**
 * S2: maxHttpBufferSize bounds each engine.io message, but a socket.io packet with binary parts is one
 * text message plus one message per part, and socket.io-parser accepts 10 parts by default: 11 × 64 KiB
 * buffered per packet. PeerLobby's protocol carries at most one binary payload (a relay frame), so one
 * part is allowed; a packet announcing more is a decode error and closes the connection.
 */
export const MAX_BINARY_ATTACHMENTS = 1;

class BoundedDecoder extends Decoder {
  constructor() {
    super({ maxAttachments: MAX_BINARY_ATTACHMENTS });
  }
}

/** socket.io's default parser with the attachment bound; pass as the Server's `parser` option. */
export const boundedParser = { protocol, PacketType, Encoder, Decoder: BoundedDecoder };
