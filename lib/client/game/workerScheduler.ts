import { realScheduler, type GameScheduler } from '../../game';

/**
 * The game's scheduler for browser pages: ticks come from a timer in a dedicated Worker. Browsers
 * throttle a hidden tab's own timers to about one per second (Chromium, Firefox), which would slow the
 * whole match to a crawl whenever the simulating page is in the background — what every host does while
 * waiting. Workers' timers are not throttled that way, and their messages are delivered to a hidden page.
 * Time itself is still the page's performance.now(), so the fixed-tick loop counts ticks from the clock.
 * Where a Worker cannot be made (no Worker, a CSP without blob:), the page's own timers serve.
 */
export function workerScheduler(): GameScheduler {
  const fallback = realScheduler();
  return {
    now: () => performance.now(),
    every(intervalMs, fn) {
      let worker: Worker;
      let url = '';
      try {
        url = URL.createObjectURL(
          new Blob([`setInterval(() => postMessage(0), ${Math.max(1, Math.round(intervalMs))});`], {
            type: 'text/javascript',
          }),
        );
        worker = new Worker(url);
      } catch {
        if (url) URL.revokeObjectURL(url);
        return fallback.every(intervalMs, fn);
      }
      worker.onmessage = () => fn();
      return () => {
        worker.terminate();
        URL.revokeObjectURL(url);
      };
    },
  };
}
