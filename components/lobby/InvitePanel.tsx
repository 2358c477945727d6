'use client';

import { useEffect, useRef, useState } from 'react';
import { ERROR_MESSAGES, type LobbyView } from '@/lib/protocol';
import { useLobbyClient } from '../LobbyProvider';
import { useClientValue } from '../useHydrated';
import { lobbyPath } from '../useLobbyNavigation';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';
import { useLobbyAction } from '../hooks/useLobbyAction';

const COPIED_FEEDBACK_MS = 2000;
const QR_SIZE_PX = 176;

/** `isHost`: the host may replace the link (a leaked link stops working; a ban replaces it too). */
export function InvitePanel({ lobby, isHost }: { lobby: LobbyView; isHost: boolean }) {
  const client = useLobbyClient();
  const rotate = useLobbyAction();
  const [qr, setQr] = useState<string | null>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const pageOrigin = useClientValue(() => window.location.origin, '');
  const canShare = useClientValue(() => typeof navigator.share === 'function', false);
  const origin = client?.publicUrl ?? pageOrigin;
  const inputRef = useRef<HTMLInputElement>(null);

  const url = origin ? `${origin}${lobbyPath(lobby)}` : '';

  useEffect(() => {
    if (!url) return;
    let live = true;
    // Loaded on demand: the QR encoder is not needed for the page's first paint (its box keeps the size).
    import('qrcode')
      .then((QRCode) =>
        QRCode.toDataURL(url, { margin: 1, width: QR_SIZE_PX, color: { dark: '#0f172a', light: '#ffffff' } }),
      )
      .then((data) => live && setQr(data))
      .catch(() => live && setQr(null));
    return () => {
      live = false;
    };
  }, [url]);

  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(null), COPIED_FEEDBACK_MS);
    return () => clearTimeout(t);
  }, [copied]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      // No clipboard API (plain http on a LAN address): select the text so Ctrl/⌘+C works.
      inputRef.current?.select();
      setCopied(document.execCommand?.('copy') ? 'yes' : 'failed');
    }
  }

  return (
    <Card title="Invite friends">
      <div className="flex flex-col gap-4 sm:flex-row lg:flex-col xl:flex-row">
        <div className="grid size-44 shrink-0 place-items-center self-center rounded-xl bg-white p-2">
          {qr ? (
            // eslint-disable-next-line @next/next/no-img-element -- a data URL; nothing to optimise
            <img
              src={qr}
              width={QR_SIZE_PX}
              height={QR_SIZE_PX}
              alt="QR code of the invite link"
              className="size-full"
            />
          ) : (
            <span className="size-full animate-pulse rounded bg-slate-200" aria-hidden />
          )}
        </div>
        <div className="min-w-0 flex-1 space-y-3">
          <label htmlFor="inviteLink" className="block text-sm font-medium text-slate-300">
            Invite link
          </label>
          <input
            id="inviteLink"
            ref={inputRef}
            readOnly
            value={url}
            onFocus={(e) => e.currentTarget.select()}
            className="block min-h-10 w-full rounded-lg bg-slate-950 px-3 py-2 font-mono text-xs text-slate-200 ring-1 ring-slate-700"
          />
          <div className="flex flex-wrap gap-2">
            <Button onClick={copy} disabled={!url}>
              {copied === 'yes' ? 'Copied ✓' : 'Copy link'}
            </Button>
            {isHost && (
              <Button
                variant="secondary"
                disabled={rotate.busy}
                title="Replace the link: the old one stops working"
                onClick={() => void rotate.run((c) => c.rotateInvite())}
              >
                New link
              </Button>
            )}
            {canShare && (
              <Button
                variant="secondary"
                onClick={() => void navigator.share({ title: lobby.name, url }).catch(() => {})}
              >
                Share…
              </Button>
            )}
          </div>
          <p aria-live="polite" className="min-h-5 text-xs text-slate-400">
            {rotate.error
              ? ERROR_MESSAGES[rotate.error]
              : copied === 'yes'
                ? 'Link copied to the clipboard.'
                : copied === 'failed'
                  ? 'Copy failed: the link is selected, press Ctrl+C.'
                  : lobby.visibility === 'private'
                    ? 'Private lobby: only people with this link can join.'
                    : `Or share the code ${lobby.code}.`}
          </p>
        </div>
      </div>
    </Card>
  );
}
