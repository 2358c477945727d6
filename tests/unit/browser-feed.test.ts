import { afterEach, describe, expect, it, vi } from 'vitest';
import { Server } from 'socket.io';
import { LobbyService } from '../../server/lobby/service';
import { MemoryLobbyStore } from '../../server/store/memory';
import { BrowserFeed } from '../../server/socket/browserFeed';
import { browserRoom, type IoServer } from '../../server/socket/types';

/** The push side of the lobby browser: when a list is built at all (a real socket.io Server, no network). */
afterEach(() => vi.useRealTimers());

function setup(multiInstance: boolean) {
  vi.useFakeTimers();
  const store = new MemoryLobbyStore();
  const listed = vi.spyOn(store, 'listPublic');
  const io = new Server() as IoServer;
  const sent: string[] = [];
  const to = io.to.bind(io);
  vi.spyOn(io, 'to').mockImplementation((room) => {
    sent.push(String(room));
    return to(room);
  });
  const feed = new BrowserFeed(io, new LobbyService(store), multiInstance);
  const watch = (game: string) => io.of('/').adapter.addAll('watcher', new Set([browserRoom(game)]));
  return { listed, sent, feed, watch };
}

describe('BrowserFeed pushes', () => {
  it('alone, builds no list for a game nobody watches, and pushes once someone does', async () => {
    const { listed, sent, feed, watch } = setup(false);
    feed.markDirty('ring-out');
    await vi.advanceTimersByTimeAsync(150);
    expect(listed).not.toHaveBeenCalled();
    expect(sent).toEqual([]);
    watch('ring-out');
    feed.markDirty('ring-out');
    await vi.advanceTimersByTimeAsync(150);
    expect(listed).toHaveBeenCalledTimes(1);
    // An empty list, never sent before from here: pushed to the watchers.
    expect(sent).toEqual([browserRoom('ring-out')]);
    feed.close();
  });

  it('with other instances, pushes every change (their watchers are not in this adapter)', async () => {
    const { listed, sent, feed } = setup(true);
    feed.markDirty('ring-out');
    await vi.advanceTimersByTimeAsync(150);
    expect(listed).toHaveBeenCalledTimes(1);
    expect(sent).toEqual([browserRoom('ring-out')]);
    feed.close();
  });
});
