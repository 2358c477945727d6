import Link from 'next/link';
import { ConnectionBadge } from './ConnectionBadge';

export function AppHeader() {
  return (
    <header className="mx-auto flex w-full max-w-5xl items-center justify-between px-4 py-4 sm:px-6">
      <Link
        href="/"
        className="flex items-center gap-2 rounded-lg text-lg font-bold tracking-tight text-white"
      >
        <span aria-hidden className="grid size-8 place-items-center rounded-lg bg-indigo-500 text-sm">
          PL
        </span>
        PeerLobby
      </Link>
      <ConnectionBadge />
    </header>
  );
}
