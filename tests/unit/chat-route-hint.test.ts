import { describe, expect, it } from 'vitest';
import { chatRouteHint } from '../../components/format/meshFormat';

describe('chatRouteHint', () => {
  it('one other player, by each route', () => {
    expect(chatRouteHint({ direct: 1, turn: 0, relay: 0 })).toBe('Messages go straight to the other player.');
    expect(chatRouteHint({ direct: 0, turn: 1, relay: 0 })).toBe(
      'Messages go through a TURN server to the other player.',
    );
    expect(chatRouteHint({ direct: 0, turn: 0, relay: 1 })).toBe(
      'Messages go through this server to the other player.',
    );
  });

  it('several players on one route', () => {
    expect(chatRouteHint({ direct: 2, turn: 0, relay: 0 })).toBe(
      'Messages go straight to both other players.',
    );
    expect(chatRouteHint({ direct: 0, turn: 0, relay: 5 })).toBe(
      'Messages go through this server to all 5 other players.',
    );
  });

  it('mixed routes: never calls a relayed or TURN pair "straight"', () => {
    expect(chatRouteHint({ direct: 1, turn: 0, relay: 1 })).toBe(
      'Messages go straight to 1 player and through this server to 1.',
    );
    expect(chatRouteHint({ direct: 2, turn: 1, relay: 1 })).toBe(
      'Messages go straight to 2 players, through a TURN server to 1 and through this server to 1.',
    );
    expect(chatRouteHint({ direct: 0, turn: 3, relay: 1 })).toBe(
      'Messages go through a TURN server to 3 players and through this server to 1.',
    );
  });

  it('nobody reachable: nothing to say', () => {
    expect(chatRouteHint({ direct: 0, turn: 0, relay: 0 })).toBe('');
  });
});
