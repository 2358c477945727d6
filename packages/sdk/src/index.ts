// @peerlobby/sdk: the lobby client, the peer-to-peer mesh, topic channels, the lobby chat and the
// protocol's errors and view types. Sources live in lib/ (the app and the server use them directly);
// this package is their build.
export {
  LobbyClient,
  type ConnectionStatus,
  type CreateLobbyOptions,
  type JoinLobbyOptions,
  type JoinOrCreateOptions,
  type KickOptions,
  type LobbyClientEvents,
  type LobbyClientOptions,
  type LobbySettings,
} from '../../../lib/client/LobbyClient';
export { ProtocolVersionError } from '../../../lib/client/errors';
export { memoryStorage, webStorage, type KeyValueStore } from '../../../lib/client/storage';
export { Emitter } from '../../../lib/events/emitter';
export * from '../../../lib/client/mesh';
export type { MeshSignalingEvents, RtcConfigExtra } from '../../../lib/client/mesh/types';
export {
  APP_TOPIC_MAX,
  APP_TOPIC_MIN,
  TOPICS,
  topicChannel,
  type Topic,
  type TopicChannel,
} from '../../../lib/client/topics';
export {
  LobbyChat,
  type ChatCarryOver,
  type ChatEntry,
  type ChatPeerEvents,
  type ChatSendResult,
} from '../../../lib/client/chat';
export {
  ERROR_MESSAGES,
  DEFAULT_GAME,
  ErrorCode,
  PROTOCOL_VERSION,
  type IceServer,
  type LobbySource,
  type Joined,
  type Json,
  type LobbyPhase,
  type LobbyStatus,
  type LobbySummary,
  type LobbyView,
  type MemberView,
  type QuickJoined,
  type Meta,
  type RemovedReason,
  type Result,
  type SignalError,
  type Visibility,
} from '../../../lib/protocol';
