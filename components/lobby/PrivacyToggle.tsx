'use client';

import { useId } from 'react';
import { hasTurnServer } from '@/lib/client/mesh/iceServers';
import { useAppStore, useLobbyClient } from '../LobbyProvider';

/** "Hide my IP": relay-only ICE. Says what it costs, which depends on whether TURN is configured. */
export function PrivacyToggle() {
  const id = useId();
  const client = useLobbyClient();
  const hideIp = useAppStore((s) => s.hideIp);
  const setHideIp = useAppStore((s) => s.setHideIp);
  const hasTurn = hasTurnServer({ iceServers: client?.iceServers });
  return (
    <div className="flex items-start gap-3 rounded-2xl bg-slate-900/80 p-4 ring-1 ring-slate-800">
      <input
        id={id}
        type="checkbox"
        role="switch"
        checked={hideIp}
        onChange={(e) => setHideIp(e.target.checked)}
        aria-describedby={`${id}-hint`}
        className="mt-1 size-5 shrink-0 accent-indigo-400"
      />
      <div>
        <label htmlFor={id} className="text-sm font-semibold text-white">
          Hide my IP address
        </label>
        <p id={`${id}-hint`} className="mt-0.5 text-xs text-slate-400">
          {hasTurn
            ? 'Other players never see your IP: your game traffic goes through this server’s TURN relay (a few ms more latency).'
            : 'Other players never see your IP. This server has no TURN relay, so your traffic goes through the game server instead: noticeably slower.'}
        </p>
      </div>
    </div>
  );
}
