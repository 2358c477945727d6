import { ErrorCode, type IceGrant, type Result } from '../protocol';

/** Refresh once this share of a credential's lifetime has passed: the last quarter is for retries. */
export const ICE_REFRESH_AT_FRACTION = 0.75;
/** Never sooner than this after a grant, whatever lifetime a server claims: no refresh storm. */
export const ICE_REFRESH_MIN_DELAY_MS = 1_000;
/** First retry after a failed refresh; it doubles up to ICE_REFRESH_RETRY_MAX_MS. */
export const ICE_REFRESH_RETRY_MS = 1_000;
export const ICE_REFRESH_RETRY_MAX_MS = 30_000;

export interface IceRefresherDeps {
  /** Asks the server for a fresh grant (`ice:refresh`). */
  fetch: () => Promise<Result<IceGrant>>;
  onGrant: (grant: IceGrant) => void;
}

/**
 * Keeps a member's TURN credential valid for as long as it holds a seat. coturn checks a credential
 * only when an allocation is made, so a link made (or ICE-restarted) after the first credential
 * expired would get no relay candidate at all: we fetch a new one at 3/4 of the lifetime, and retry
 * with backoff until one arrives. Every grant (join, resume, refresh) restarts the schedule.
 */
export class IceRefresher {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped by every schedule/stop: an answer to an older request is ignored. */
  private generation = 0;
  private failures = 0;

  constructor(private readonly deps: IceRefresherDeps) {}

  /** A grant was received: the next refresh is due at ICE_REFRESH_AT_FRACTION of its lifetime. */
  schedule(grant: IceGrant) {
    this.stop();
    this.failures = 0;
    // No TURN, no expiry: STUN servers need no credential.
    if (grant.iceServersTtlMs === null) return;
    this.arm(grant.iceServersTtlMs * ICE_REFRESH_AT_FRACTION);
  }

  stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.generation++;
  }

  private arm(ms: number) {
    const generation = this.generation;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.refresh(generation);
      },
      Math.max(ICE_REFRESH_MIN_DELAY_MS, ms),
    );
  }

  private async refresh(generation: number) {
    const result = await this.deps.fetch();
    if (generation !== this.generation) return;
    if (result.ok) {
      this.schedule(result.data);
      this.deps.onGrant(result.data);
      return;
    }
    // The seat is gone: the client forgets it (and stops us) on the event that says so.
    if (result.error === ErrorCode.NOT_IN_LOBBY) return;
    this.failures++;
    this.arm(Math.min(ICE_REFRESH_RETRY_MS * 2 ** (this.failures - 1), ICE_REFRESH_RETRY_MAX_MS));
  }
}
