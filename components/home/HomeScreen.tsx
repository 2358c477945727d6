'use client';

import { ConnectionAlert } from '../ConnectionAlert';
import { ConnectionCheckCard } from '../connectionCheck/ConnectionCheckCard';
import { Card } from '../ui/Card';
import { CreateLobbyForm } from './CreateLobbyForm';
import { CurrentLobbyBanner } from './CurrentLobbyBanner';
import { JoinByCodeForm } from './JoinByCodeForm';
import { LobbyBrowser } from './LobbyBrowser';
import { NicknameField } from './NicknameField';

export function HomeScreen() {
  return (
    <div className="space-y-6">
      <div className="pt-4 pb-2 text-center sm:pt-8">
        <h1 className="text-3xl font-extrabold tracking-tight text-white sm:text-5xl">
          Play together, peer to peer.
        </h1>
        <p className="mx-auto mt-3 max-w-xl text-slate-300">
          Create a lobby, share the link, and play in the browser — connected directly where your networks
          allow, through a relay where they don’t. No installs, no accounts.
        </p>
      </div>
      <ConnectionAlert />
      <CurrentLobbyBanner />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1.2fr)]">
        <div className="space-y-6">
          <Card>
            <NicknameField />
          </Card>
          <CreateLobbyForm />
          <JoinByCodeForm />
          <ConnectionCheckCard />
        </div>
        <LobbyBrowser />
      </div>
    </div>
  );
}
