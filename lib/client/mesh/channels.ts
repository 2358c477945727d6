/**
 * The data channels of every pair, negotiated out of band with fixed ids: no DCEP round trip, and
 * both sides create them without waiting for the other (Godot's three transfer modes).
 */
export const CHANNELS = {
  reliable: { id: 0, ordered: true },
  unreliable: { id: 1, ordered: false, maxRetransmits: 0 },
  'unreliable-ordered': { id: 2, ordered: true, maxRetransmits: 0 },
} as const satisfies Record<string, RTCDataChannelInit & { id: number }>;

export type ChannelName = keyof typeof CHANNELS;
export const CHANNEL_NAMES = Object.keys(CHANNELS) as ChannelName[];

export type UnreliableChannel = Exclude<ChannelName, 'reliable'>;

export function channelInit(name: ChannelName): RTCDataChannelInit {
  return { ...CHANNELS[name], negotiated: true };
}
