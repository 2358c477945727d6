// @peerlobby/sdk/react: the LobbyClient and its Mesh, made and closed by one effect.
export {
  usePeerLobby,
  type PeerLobbyConnection,
  type PeerLobbyMeshOptions,
  type UsePeerLobbyOptions,
} from '../../../lib/react/usePeerLobby';
