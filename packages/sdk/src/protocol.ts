// @peerlobby/sdk/protocol: the wire protocol shared by the PeerLobby server and its clients: zod
// schemas of every command and signal, event maps, limits, error codes and view types.
export * from '../../../lib/protocol';
