import type { Logger } from 'pino';
import * as z from 'zod/mini';
import { ok } from '../../lib/protocol';
import { builtInStunUrls, pageStunHost, type StunPorts } from '../stun/urls';
import { acked } from './handle';
import type { IoSocket } from './types';

const Empty = z.strictObject({});

export interface ConnectionCheckDeps {
  log: Logger;
  /** What the built-in STUN responder serves right now (null: off or not bound). */
  stun: () => StunPorts | null;
  publicUrl: string | null;
  turnConfigured: boolean;
}

/**
 * `connection:check`: the servers a client probes to diagnose its network. Open to any connected
 * socket (a player checks before joining), so it spends the same per-socket and per-IP event budgets
 * as lobby commands (acked() asks the guard first). No TURN credential here: those go to members only.
 */
export function createConnectionCheck(deps: ConnectionCheckDeps): (socket: IoSocket) => void {
  const listener = acked(deps.log, 'connection:check', Empty, async (socket) =>
    ok({
      stunUrls: builtInStunUrls(deps.stun(), pageStunHost(deps.publicUrl, socket.handshake.headers.host)),
      turnConfigured: deps.turnConfigured,
    }),
  );
  return (socket) => {
    (socket.on as (ev: string, fn: typeof listener) => void).call(socket, 'connection:check', listener);
  };
}
