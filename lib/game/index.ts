/** Ring Out: the public surface for the app (React) and the mesh wiring. */
export * from './constants';
export type { GameEvent, GameState, Phase, PlayerInput, Puck, PuckStatus } from './types';
export { createMatch, step, addPlayer, removePlayer, rematch } from './sim';
export type { RosterEntry, Snapshot, CodecError, Decoded } from './codec';
export type { RenderState, RenderPuck, RenderBurst, ScoreLine } from './renderState';
export { GameHost, type GameHostDeps, type NewMatchOptions } from './session/GameHost';
export { GameClient, type GameClientOptions, type ScoreboardMessage } from './session/GameClient';
export { withLoopback, type GameTransport, type GameChannel, type GamePayload } from './session/transport';
export { realScheduler, type GameScheduler } from './session/scheduler';
export {
  GameDispatcher,
  decodeGameMessage,
  type GameMessage,
  type GameMessageType,
} from './session/dispatcher';
export {
  GameSession,
  type GameSessionOptions,
  type GameSummary,
  type SessionKind,
} from './session/GameSession';
export { gameAuthority } from './session/authority';
