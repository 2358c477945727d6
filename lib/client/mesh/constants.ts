import { MAX_RELAY_BYTES, RELAY_RATE_BYTES, RELAY_RATE_MESSAGES, RELAY_RATE_WINDOW_MS } from '../../protocol';

/** Every frame on every route fits one relay message, so a pair can switch routes mid-message. */
export const MAX_FRAME_BYTES = MAX_RELAY_BYTES;
/** Unreliable messages must fit one unfragmented UDP datagram on any path (≈1200 B after headers). */
export const MAX_UNRELIABLE_BYTES = 1200;
/** Biggest reliable message either side accepts; the receiver refuses bigger ones before allocating. */
export const MAX_RELIABLE_MESSAGE_BYTES = 16 * 1024 * 1024;
/** Reliable frames sent but not yet acknowledged (kept for resending after a route switch). */
export const MAX_UNACKED_BYTES = 32 * 1024 * 1024;

/** Above this much in a channel's buffer, reliable frames wait in our queue. */
export const RELIABLE_HIGH_WATER_BYTES = 1024 * 1024;
/** `bufferedamountlow` fires below this; the queue drains from there. */
export const RELIABLE_LOW_WATER_BYTES = 256 * 1024;
/** Above this, an unreliable channel keeps only the latest frame: old game state is worthless. */
export const UNRELIABLE_HIGH_WATER_BYTES = 64 * 1024;

/** A pair that has no direct (or TURN) channel by then uses the server relay. */
export const DIRECT_CONNECT_DEADLINE_MS = 5000;
/** ICE `disconnected` often heals by itself; only after this long do we switch to the relay. */
export const ICE_DISCONNECTED_GRACE_MS = 2500;
/** ICE restarts on the same connection before a fresh connection is tried. */
export const MAX_ICE_RESTARTS = 2;
/**
 * An offer still unanswered after this long is sent again (up to OFFER_RESENDS times), with the
 * candidates gathered so far in its SDP. Signals to a player whose socket died without either end
 * noticing yet (a router that forgot its mappings breaks TCP as well as UDP) are lost; a round trip
 * through the server normally takes milliseconds, so this only costs a signal where one was lost.
 */
export const OFFER_RESEND_MS = 3000;
export const OFFER_RESENDS = 5;
/** Background direct attempts back off from the connect deadline up to this. */
export const RETRY_MAX_DELAY_MS = 30_000;

/**
 * An offer or answer waits at most this long for its first local candidate (host candidates come a
 * millisecond or two after the description is set): bounded extra latency where gathering stalls.
 */
export const CANDIDATE_GATHER_WAIT_MS = 25;

export const PING_INTERVAL_MS = 1000;
/** A ping without pong after this long is forgotten. */
export const PING_TIMEOUT_MS = 10_000;
/** Weight of a new RTT sample in the smoothed value. */
export const RTT_SMOOTHING = 0.25;

/** Reliable acks are cumulative and coalesced: at most one per this delay, or one per this many frames. */
export const ACK_DELAY_MS = 200;
export const ACK_EVERY_FRAMES = 64;
/** Out-of-order reliable frames kept while an earlier one is still on its way (route switch). */
export const MAX_REORDER_FRAMES = 4096;

/** Rates in `peers` snapshots are over this window; snapshots are pushed at least this often. */
export const STATS_INTERVAL_MS = 1000;
/** State and route changes push a snapshot, coalesced to at most one per this interval. */
export const PEERS_EVENT_MIN_INTERVAL_MS = 250;
/** How often the selected ICE candidate pair is re-read while on a direct link. */
export const CANDIDATE_PAIR_REFRESH_MS = 5000;
/** Without TURN servers, the first read waits this long after the link opens (see Peer). */
export const CANDIDATE_PAIR_FIRST_READ_MS = 1000;

/**
 * The client paces its relay traffic at half the server's limits, over windows short enough that
 * any server window (fixed, RELAY_RATE_WINDOW_MS) can never see more than the limit. Short windows
 * (5 messages per 50 ms) also spread the frames: a page over its budget (the game host relaying 60 Hz
 * snapshots to several peers) sends fewer, evenly spaced ones — with 500 ms windows it sent the
 * window's budget in a burst and then nothing for a couple of hundred milliseconds, a visible freeze.
 */
export const RELAY_PACE_WINDOW_MS = 50;
export const RELAY_PACE_MESSAGES = Math.floor(
  (RELAY_RATE_MESSAGES * RELAY_PACE_WINDOW_MS) / RELAY_RATE_WINDOW_MS / 2,
);
export const RELAY_PACE_BYTES = Math.floor(
  (RELAY_RATE_BYTES * RELAY_PACE_WINDOW_MS) / RELAY_RATE_WINDOW_MS / 2,
);

/** A direct link that carried a frame this recently is alive (Peer.linkAlive): pings cross it every second. */
export const LINK_ALIVE_MS = 2500;
