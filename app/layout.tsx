import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/AppHeader';
import { LobbyProvider } from '@/components/LobbyProvider';
import './globals.css';

export const metadata: Metadata = {
  title: 'PeerLobby — play with friends, peer to peer',
  description: 'Create a lobby, share a link, and play real-time games peer to peer in the browser.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#020617' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <LobbyProvider>
          <AppHeader />
          <main className="mx-auto w-full max-w-5xl px-4 pb-16 pt-4 sm:px-6">{children}</main>
        </LobbyProvider>
      </body>
    </html>
  );
}
