import pino, { type DestinationStream } from 'pino';

/**
 * Structured logs (S12). Redaction is a backstop: handlers never log payloads, SDP, candidates or tokens.
 * `destination` lets a test capture the stream.
 */
export function createLogger(level: string, destination?: DestinationStream) {
  return pino(
    {
      level,
      redact: {
        paths: [
          '*.token',
          '*.inviteToken',
          '*.resumeToken',
          '*.deviceKey',
          '*.credential',
          '*.iceServers',
          '*.sdp',
          '*.candidate',
          '*.auth',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
