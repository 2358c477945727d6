import { ErrorCode } from '../protocol/errors';

/**
 * The server speaks another protocol version than this client (PROTOCOL_VERSION): nothing can work
 * until one of them is updated. A LobbyClient stops reconnecting, its status becomes `outdated` and
 * every command answers PROTOCOL_MISMATCH.
 */
export class ProtocolVersionError extends Error {
  readonly code = ErrorCode.PROTOCOL_MISMATCH;
  constructor(
    readonly clientVersion: number,
    /** null when the server did not say (a server older than this field, or not a PeerLobby server). */
    readonly serverVersion: number | null,
  ) {
    super(
      `PeerLobby protocol mismatch: this client speaks version ${clientVersion}, the server ${serverVersion ?? 'an unknown version'}. ` +
        'Use an @peerlobby/sdk release that matches the server (see docs/SDK.md, Versioning).',
    );
    this.name = 'ProtocolVersionError';
  }
}
