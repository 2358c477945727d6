'use client';

import type { ConnectionStatus } from '@/lib/client/LobbyClient';
import { useAppStore } from './LobbyProvider';

const LOOK: Record<ConnectionStatus, { label: string; dot: string }> = {
  connecting: { label: 'Connecting…', dot: 'bg-amber-400 animate-pulse' },
  connected: { label: 'Online', dot: 'bg-emerald-400' },
  reconnecting: { label: 'Reconnecting…', dot: 'bg-amber-400 animate-pulse' },
  outdated: { label: 'Reload needed', dot: 'bg-rose-500' },
  closed: { label: 'Offline', dot: 'bg-slate-500' },
};

export function ConnectionBadge() {
  const status = useAppStore((s) => s.connection);
  const look = LOOK[status];
  return (
    <span
      role="status"
      data-connection={status}
      className="inline-flex min-w-32 items-center justify-end gap-2 text-sm text-slate-300"
    >
      <span aria-hidden className={`size-2.5 rounded-full ${look.dot}`} />
      {look.label}
    </span>
  );
}
