'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import { ConnectionChecker, turnServersOf, type CheckState } from '@/lib/client/connectionCheck';
import { useLobbyClient } from '../LobbyProvider';

const IDLE: CheckState = { kind: 'idle' };

/**
 * One ConnectionChecker per mounted card, made in an effect and closed in its cleanup (a run in
 * flight is aborted and its RTCPeerConnections closed). TURN servers come from the member's join
 * ack: on the home page there are none, so TURN is reported as configured but untested.
 */
export function useConnectionChecker(): { state: CheckState; check: (() => void) | null } {
  const client = useLobbyClient();
  const [checker, setChecker] = useState<ConnectionChecker | null>(null);
  useEffect(() => {
    if (!client) return;
    const next = new ConnectionChecker({
      servers: client.connectionCheckServers,
      turnServers: () => turnServersOf(client.iceServers),
      RTCPeerConnection: window.RTCPeerConnection,
    });
    // The checker is an external resource made in this effect; publishing it is the point.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setChecker(next);
    return () => {
      next.close();
      setChecker(null);
    };
  }, [client]);
  const state = useSyncExternalStore(checker?.subscribe ?? noSubscribe, checker?.getState ?? idle, idle);
  return { state, check: checker ? () => void checker.check() : null };
}

const noSubscribe = () => () => {};
const idle = () => IDLE;
