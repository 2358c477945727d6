import type { Logger } from 'pino';
import * as z from 'zod/mini';
import { ok } from '../../lib/protocol';
import { builtInStunUrls, pageStunHost, type StunPorts } from '../stun/urls';
import { acked } from './handle';
import type { EventTable } from './eventTable';

const Empty = z.strictObject({});

export interface ConnectionCheckDeps {
  log: Logger;
  /** What the built-in STUN responder serves right now (null: off or not bound). */
  stun: () => StunPorts | null;
  publicUrl: string | null;
  turnConfigured: boolean;
  events: EventTable;
}

/**
 * `connection:check`: the servers a client probes to diagnose its network. Open to any connected
 * socket (a player checks before joining), so it spends the same per-socket and per-IP event budgets
 * as lobby commands (acked() asks the guard first). No TURN credential here: those go to members only.
 */
export function addConnectionCheck(deps: ConnectionCheckDeps) {
  const listener = acked(deps.log, 'connection:check', Empty, async (socket) =>
    ok({
      stunUrls: builtInStunUrls(deps.stun(), pageStunHost(deps.publicUrl, socket.data.host)),
      turnConfigured: deps.turnConfigured,
    }),
  );
  deps.events.add('connection:check', listener);
}
