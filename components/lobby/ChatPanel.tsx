'use client';

import { useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import type { ChatEntry, ChatSendResult } from '@/lib/client/chat';
import { CHAT_HISTORY_SENT, CHAT_RATE_MESSAGES, CHAT_RATE_WINDOW_MS } from '@/lib/client/chat';
import { assertNever, MAX_CHAT_CHARS, type LobbyView } from '@/lib/protocol';
import { useAppStore, useChat } from '../LobbyProvider';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';
import { chatRouteHint, formatTime, playerColor } from '../format/meshFormat';

/** Within this distance of the bottom, the log follows new messages; further up, the reader is reading. */
const STICK_TO_BOTTOM_PX = 48;

function refusal(reason: Exclude<ChatSendResult, { ok: true }>['reason']): string {
  switch (reason) {
    case 'empty':
      return '';
    case 'too-long':
      return `Messages are limited to ${MAX_CHAT_CHARS} characters.`;
    case 'rate-limited':
      return `Slow down: at most ${CHAT_RATE_MESSAGES} messages every ${CHAT_RATE_WINDOW_MS / 1000} seconds.`;
    case 'not-in-lobby':
      return 'Not in a lobby any more.';
    default:
      return assertNever(reason);
  }
}

/**
 * Lobby chat. Messages go peer to peer over the mesh (the server relays only pairs that cannot
 * connect). Sending is off while other players are here but none is reachable yet; a player alone
 * may write: the host hands its last messages to whoever joins.
 */
export function ChatPanel({ lobby, selfId }: { lobby: LobbyView; selfId: string }) {
  const chat = useChat();
  const entries = useAppStore((s) => s.chat);
  const peers = useAppStore((s) => s.peers);
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState('');
  const logRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  const others = lobby.members.filter((m) => m.id !== selfId && m.presence === 'present').length;
  const routes = { direct: 0, turn: 0, relay: 0 };
  for (const p of peers) if (p.route) routes[p.route] += 1;
  const reachable = routes.direct + routes.turn + routes.relay;
  const mode: 'alone' | 'waiting' | 'live' = others === 0 ? 'alone' : reachable === 0 ? 'waiting' : 'live';

  useLayoutEffect(() => {
    const el = logRef.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [entries]);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!chat || mode === 'waiting') return;
    const result = chat.send(draft);
    if (result.ok) {
      setDraft('');
      setProblem('');
      stick.current = true;
    } else setProblem(refusal(result.reason));
  }

  const hint =
    mode === 'alone'
      ? `You’re alone here. Whoever joins gets the last ${CHAT_HISTORY_SENT} messages from the host.`
      : mode === 'waiting'
        ? 'Waiting for a connection…'
        : chatRouteHint(routes);

  return (
    <Card title="Chat">
      {/* The log is the scrolling region (focusable, so keyboards can scroll it); the list inside keeps list semantics. */}
      <div
        ref={logRef}
        role="log"
        aria-label="Chat messages"
        aria-live="polite"
        tabIndex={0}
        data-testid="chat-log"
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_TO_BOTTOM_PX;
        }}
        className="h-64 overflow-y-auto overscroll-contain rounded-xl bg-slate-950/60 p-3 ring-1 ring-slate-800 focus-visible:outline-2 focus-visible:outline-amber-300 sm:h-72"
      >
        {entries.length === 0 ? (
          <p className="grid h-full place-items-center text-center text-sm text-slate-400">
            No messages yet. Say hi!
          </p>
        ) : (
          <ol className="space-y-2">
            {entries.map((m) => (
              <ChatLine key={m.key} entry={m} isSelf={m.authorId === selfId} />
            ))}
          </ol>
        )}
      </div>
      <form onSubmit={submit} className="mt-3 flex gap-2" aria-label="Send a chat message">
        <label htmlFor="chatInput" className="sr-only">
          Chat message
        </label>
        <input
          id="chatInput"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          maxLength={MAX_CHAT_CHARS}
          disabled={mode === 'waiting'}
          autoComplete="off"
          enterKeyHint="send"
          aria-describedby="chatHint"
          placeholder={mode === 'waiting' ? 'Waiting for a connection…' : 'Write a message'}
          className="block min-h-10 min-w-0 flex-1 rounded-lg bg-slate-950 px-3 py-2 text-base text-white ring-1 ring-slate-700 placeholder:text-slate-400 focus:ring-2 focus:ring-indigo-400 focus:outline-none disabled:cursor-not-allowed disabled:opacity-60 sm:text-sm"
        />
        <Button type="submit" disabled={mode === 'waiting' || !draft.trim()}>
          Send
        </Button>
      </form>
      <p
        id="chatHint"
        aria-live="polite"
        className="mt-2 min-h-5 text-xs text-slate-400"
        data-testid="chat-hint"
        data-mode={mode}
      >
        {problem ? <span className="text-amber-300">{problem}</span> : hint}
      </p>
    </Card>
  );
}

function ChatLine({ entry, isSelf }: { entry: ChatEntry; isSelf: boolean }) {
  const name = entry.authorName ?? 'A former player';
  return (
    <li
      data-testid="chat-message"
      data-author-id={entry.authorId}
      data-origin={entry.origin}
      className="min-w-0"
    >
      <p className="flex items-baseline gap-2 text-xs">
        <span
          className="truncate font-semibold"
          style={{ color: playerColor(entry.authorId) }}
          data-testid="chat-author"
        >
          {name}
        </span>
        {isSelf && <span className="shrink-0 rounded bg-slate-700 px-1.5 text-slate-200">you</span>}
        <time dateTime={new Date(entry.at).toISOString()} className="shrink-0 text-slate-400 tabular-nums">
          {formatTime(entry.at)}
        </time>
      </p>
      {/* Text only: React escapes it, so a message can never become markup. */}
      <p className="text-sm break-words whitespace-pre-wrap text-slate-200" data-testid="chat-text">
        {entry.text}
      </p>
    </li>
  );
}
