export { CHANNELS, type ChannelName } from './channels';
export * from './constants';
export { MeshError, MeshErrorCode } from './errors';
export { hasTurnServer } from './iceServers';
export { Mesh, type MeshData } from './Mesh';
export type { RTCPeerConnectionCtor } from './PeerLink';
export type { PeerStateKind, Route } from './route';
export type { CandidatePair } from './stats';
export type { MeshEvents, MeshMessage, MeshOptions, MeshSignaling, PeerStats } from './types';
