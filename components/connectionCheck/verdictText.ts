import type { ConnectionReport, VerdictReason } from '@/lib/client/connectionCheck';
import { assertNever } from '@/lib/protocol';

export interface VerdictText {
  headline: string;
  /** What the verdict means for playing, and what the player can do about it. */
  body: string;
}

const TRY_ELSEWHERE =
  'For direct connections, try another network (a phone hotspot, home Wi-Fi) or turn off your VPN.';

function why(reason: VerdictReason): string {
  switch (reason) {
    case 'mapping-varies':
      return 'Your network gives you a new public port for every server you talk to (a symmetric NAT), so other players cannot reach you directly.';
    case 'udp-blocked':
      return 'Your network blocks the UDP traffic direct connections need.';
    case 'same-mapping':
    case 'no-nat':
    case 'inconclusive':
    case 'no-stun':
      return '';
    default:
      return assertNever(reason);
  }
}

/** The plain words shown for a check's result. */
export function verdictText(report: ConnectionReport): VerdictText {
  switch (report.verdict) {
    case 'direct':
      return {
        headline: 'Direct connections should work',
        body:
          report.reason === 'no-nat'
            ? "The server sees your device's own address (no NAT in between), so other players can connect straight to you. Nothing to do."
            : 'Your network keeps the same public port for every server, so other players can connect straight to you. Nothing to do.',
      };
    case 'turn': {
      const relay =
        report.turn === 'reached'
          ? `This server's TURN relay answered${report.turnProtocol ? ` (over ${report.turnProtocol.toUpperCase()})` : ''}, so games will work with a little more delay.`
          : 'This server has a TURN relay for exactly this case; lobby members use it automatically, with a little more delay.';
      return {
        headline: 'You will need the TURN relay',
        body: `${why(report.reason)} ${relay} ${TRY_ELSEWHERE}`,
      };
    }
    case 'relay-only': {
      const turn =
        report.turn === 'unreached'
          ? "This server's TURN relay could not be reached either"
          : 'This server has no TURN relay (the host of the server can configure one)';
      return {
        headline: 'Only the server relay will work',
        body: `${why(report.reason)} ${turn}, so game traffic goes through the server: expect more delay. ${TRY_ELSEWHERE}`,
      };
    }
    case 'unknown':
      return {
        headline: "We couldn't tell",
        body:
          report.reason === 'no-stun'
            ? 'This server does not run a STUN service, so your network cannot be checked here. Players will still connect, directly or through the server.'
            : 'The server gave answers that do not add up to a clear picture (often a firewall that lets only some traffic through). Try again, or on another network.',
      };
    default:
      return assertNever(report.verdict);
  }
}
