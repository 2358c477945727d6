'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import { ERROR_MESSAGES, ErrorCode, MAX_NICKNAME_CHARS } from '@/lib/protocol';
import { randomNickname, suggestNickname } from '@/lib/nickname';
import { useAppStore, useLobbyClient } from '../LobbyProvider';
import { useHydrated } from '../useHydrated';
import { useNickname } from '../useNickname';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';
import { TextField } from '../ui/TextField';
import { LobbyRoom } from './LobbyRoom';

const REMOVED_TEXT = {
  kicked: 'The host removed you from this lobby.',
  banned: 'The host removed you from this lobby and you cannot rejoin it.',
  'connection-lost': 'You lost your connection and your seat in this lobby.',
} as const;

function readInvite(): string {
  return /(?:^#|&)invite=([A-Za-z0-9_-]+)/.exec(window.location.hash)?.[1] ?? '';
}

/** The invite in the address; follows hash-only navigation (pasting a link to the same lobby). */
function useInvite(): string {
  return useSyncExternalStore(
    (fn) => {
      window.addEventListener('hashchange', fn);
      return () => window.removeEventListener('hashchange', fn);
    },
    readInvite,
    () => '',
  );
}

type JoinState =
  { kind: 'idle' } | { kind: 'joining' } | { kind: 'failed'; error: ErrorCode; nickname: string };

/** /lobby/CODE: joins (asking for a nickname first when there is none), then shows the room. */
export function LobbyScreen({ code }: { code: string }) {
  const client = useLobbyClient();
  const router = useRouter();
  const lobby = useAppStore((s) => s.lobby);
  const selfId = useAppStore((s) => s.selfId);
  const notice = useAppStore((s) => s.notice);
  const setNotice = useAppStore((s) => s.setNotice);
  const [nickname, setNickname] = useNickname();
  const mounted = useHydrated();
  const [join, setJoin] = useState<JoinState>({ kind: 'idle' });
  const invite = useInvite();
  const attempted = useRef<{ client: unknown; invite: string } | null>(null);
  const wanted = code.toUpperCase();
  const here = lobby?.code === wanted ? lobby : null;

  useEffect(() => {
    // One attempt per client instance and invite (Strict Mode mounts twice; a new link tries again).
    const last = attempted.current;
    if (!client || !mounted || !nickname || here || notice?.kind === 'removed') return;
    if (last && last.client === client && last.invite === invite) return;
    attempted.current = { client, invite };
    setJoin({ kind: 'joining' });
    void (async () => {
      // After a refresh the seat comes back by itself; only join if it did not.
      await client.settled;
      if (client.currentLobby?.code === wanted) return setJoin({ kind: 'idle' });
      if (client.currentLobby) await client.leave();
      const result = await client.join(invite ? { nickname, invite } : { nickname, code: wanted });
      setJoin(result.ok ? { kind: 'idle' } : { kind: 'failed', error: result.error, nickname });
    })();
  }, [client, mounted, nickname, here, notice, wanted, invite]);

  /** Another try under another name, for this lobby only (the saved nickname stays as it is). */
  async function joinAs(name: string) {
    if (!client) return;
    setJoin({ kind: 'joining' });
    const result = await client.join(invite ? { nickname: name, invite } : { nickname: name, code: wanted });
    setJoin(result.ok ? { kind: 'idle' } : { kind: 'failed', error: result.error, nickname: name });
  }

  async function leave() {
    await client?.leave();
    router.push('/');
  }

  if (here && selfId) return <LobbyRoom lobby={here} selfId={selfId} onLeave={leave} />;

  if (notice?.kind === 'removed')
    return (
      <Centered title="You left the lobby">
        <p className="text-slate-300">{REMOVED_TEXT[notice.reason]}</p>
        <Link
          href="/"
          onClick={() => setNotice(null)}
          className="inline-block font-semibold text-indigo-300 underline"
        >
          Back to the home page
        </Link>
      </Centered>
    );

  if (join.kind === 'failed' && join.error === ErrorCode.NICKNAME_TAKEN)
    return (
      <NicknamePrompt
        key={join.nickname}
        title="That nickname is taken here"
        note={ERROR_MESSAGES.NICKNAME_TAKEN}
        initial={suggestNickname(join.nickname, MAX_NICKNAME_CHARS)}
        onSubmit={(name) => void joinAs(name)}
      />
    );

  if (join.kind === 'failed')
    return (
      <Centered title="Can’t join this lobby">
        <p role="alert" className="text-slate-300" data-testid="join-error" data-error={join.error}>
          {ERROR_MESSAGES[join.error]}
        </p>
        <Link href="/" className="inline-block font-semibold text-indigo-300 underline">
          Back to the home page
        </Link>
      </Centered>
    );

  if (mounted && !nickname)
    return <NicknamePrompt title="Pick a nickname to join" initial={randomNickname} onSubmit={setNickname} />;

  // Before hydration nobody knows yet whether this browser has a nickname: say only what is true.
  if (!mounted)
    return (
      <Centered title={`Lobby ${wanted}`}>
        <p className="text-slate-300">Opening…</p>
      </Centered>
    );

  return (
    <Centered title="Joining lobby…">
      <p className="text-slate-300" aria-live="polite">
        Connecting to <span className="font-mono">{wanted}</span>…
      </p>
      <div className="h-2 overflow-hidden rounded bg-slate-800">
        <div className="h-full w-1/3 animate-pulse rounded bg-indigo-500 motion-reduce:animate-none" />
      </div>
    </Centered>
  );
}

/** A one-card page. Its heading takes focus when it appears (a notice the player must read), unless a field does. */
function Centered({
  title,
  children,
  focusHeading = true,
}: {
  title: string;
  children: React.ReactNode;
  focusHeading?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusHeading) box.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [focusHeading, title]);
  return (
    <div ref={box} className="mx-auto max-w-md pt-8">
      <Card title={title} heading="h1">
        <div className="min-h-32 space-y-4">{children}</div>
      </Card>
    </div>
  );
}

function NicknamePrompt({
  title,
  note,
  initial,
  onSubmit,
}: {
  title: string;
  /** Why we ask again (a clash), shown above the field. */
  note?: string;
  initial: string | (() => string);
  onSubmit: (name: string) => void;
}) {
  const [name, setName] = useState(initial);
  function submit(e: FormEvent) {
    e.preventDefault();
    if (name.trim()) onSubmit(name.trim());
  }
  return (
    <Centered title={title} focusHeading={false}>
      <form onSubmit={submit} className="space-y-4" aria-label="Pick a nickname">
        {note && (
          <p
            role="alert"
            className="text-slate-300"
            data-testid="join-error"
            data-error={ErrorCode.NICKNAME_TAKEN}
          >
            {note}
          </p>
        )}
        <TextField
          label="Your nickname"
          value={name}
          maxLength={MAX_NICKNAME_CHARS}
          onChange={(e) => setName(e.target.value)}
          autoFocus
          required
        />
        <Button type="submit" className="w-full" disabled={!name.trim()}>
          Join lobby
        </Button>
      </form>
    </Centered>
  );
}
