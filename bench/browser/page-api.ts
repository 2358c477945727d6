/** What both harness pages expose as `window.bench` (the runner drives them through it). */
export interface PageState {
  /** Absolute ms (performance.timeOrigin + now()) of this page's join start. */
  t0: number;
  selfId: string;
  /** Absolute ms when the join was acknowledged. */
  joinedAt: number;
  /** Peer id → absolute ms when all its channels were open. */
  opened: Record<string, number>;
  error: string | null;
}

export interface BenchPage {
  state: PageState;
  /** Joins (room/code; null creates, for the SDK); resolves with the lobby code or room. */
  start(room: string | null): Promise<string>;
  /** Waits for a BroadcastChannel `go` from the first page of a burst, then starts. */
  armBurst(): void;
  /** First page of a burst: start, then tell the armed pages to join. */
  leadBurst(room: string | null): Promise<string>;
  /** Resolves once `count` peers are open (or the page failed): no polling from the runner. */
  whenOpened(count: number): Promise<void>;
  /** `count` sequential application pings to `peerId`; round trips in ms. */
  ping(peerId: string, count: number): Promise<number[]>;
  close(): void;
}

export const BURST_CHANNEL = 'bench-burst';
export const now = () => performance.timeOrigin + performance.now();

/** Shared burst wiring: the lead posts the room once it has one, armed pages start on it. */
export function burstHelpers(start: (room: string | null) => Promise<string>, fail: (err: unknown) => void) {
  return {
    armBurst() {
      const bc = new BroadcastChannel(BURST_CHANNEL);
      bc.onmessage = (e: MessageEvent<string>) => {
        bc.close();
        start(e.data).catch(fail);
      };
    },
    async leadBurst(room: string | null) {
      const joined = await start(room);
      const bc = new BroadcastChannel(BURST_CHANNEL);
      bc.postMessage(joined);
      bc.close();
      return joined;
    },
  };
}

/** Records when each peer's channels were all open, and wakes whoever waits for a count. */
export function openedTracker(state: PageState) {
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  return {
    markOpened(peerId: string) {
      state.opened[peerId] ??= now();
      wake();
    },
    /** Also woken by a page error (the runner reads it from the state). */
    failed(err: unknown) {
      state.error = String(err);
      wake();
    },
    whenOpened(count: number) {
      return new Promise<void>((resolve) => {
        const check = () => {
          if (state.error === null && Object.keys(state.opened).length < count) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
  };
}
