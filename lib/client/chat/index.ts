export {
  LobbyChat,
  type ChatCarryOver,
  type ChatEntry,
  type ChatSendResult,
  type ChatPeerEvents,
} from './LobbyChat';
export { CHAT_HISTORY_SENT, CHAT_KEPT, CHAT_RATE_MESSAGES, CHAT_RATE_WINDOW_MS, parseChatWire } from './wire';
