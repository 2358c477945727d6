import { useEffect, useRef, useState, type DependencyList } from 'react';
import { LobbyClient, type LobbyClientOptions } from '../client/LobbyClient';
import { Mesh, type MeshOptions, type RTCPeerConnectionCtor } from '../client/mesh';

export interface PeerLobbyConnection {
  client: LobbyClient;
  mesh: Mesh;
}

export type PeerLobbyMeshOptions = Partial<Omit<MeshOptions, 'signaling'>>;

export interface UsePeerLobbyOptions {
  /** LobbyClient options (server url, storages); read when the effect runs. */
  client?: LobbyClientOptions;
  /** Mesh options but `signaling` (the client); `RTCPeerConnection` defaults to the page's own. */
  mesh?: PeerLobbyMeshOptions | ((client: LobbyClient) => PeerLobbyMeshOptions);
}

function pageRTCPeerConnection(): RTCPeerConnectionCtor {
  if (typeof RTCPeerConnection === 'undefined') {
    throw new Error(
      'usePeerLobby: no RTCPeerConnection here; pass mesh.RTCPeerConnection (e.g. node-datachannel/polyfill)',
    );
  }
  return RTCPeerConnection;
}

/**
 * Creates a LobbyClient and its Mesh in one effect and closes both in its cleanup (Strict Mode's
 * double effect creates, closes and creates again, which is fine). Null during the first render and
 * after unmount. `deps` recreate both; options are read when the effect runs, never tracked.
 */
export function usePeerLobby(
  options: UsePeerLobbyOptions = {},
  deps: DependencyList = [],
): PeerLobbyConnection | null {
  const [connection, setConnection] = useState<PeerLobbyConnection | null>(null);
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });
  useEffect(() => {
    const { client: clientOptions, mesh: meshOptions } = latest.current;
    const client = new LobbyClient(clientOptions);
    const extra = typeof meshOptions === 'function' ? meshOptions(client) : meshOptions;
    let mesh: Mesh;
    try {
      mesh = new Mesh({
        RTCPeerConnection: extra?.RTCPeerConnection ?? pageRTCPeerConnection(),
        ...extra,
        signaling: client,
      });
    } catch (err) {
      client.close();
      throw err;
    }
    // Made in this effect; publishing it is the point.
    setConnection({ client, mesh });
    return () => {
      mesh.close();
      client.close();
      setConnection(null);
    };
    // The caller's deps decide when to recreate the pair; options are read from the ref.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return connection;
}
