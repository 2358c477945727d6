import pino from 'pino';

/**
 * Structured logs. Redaction is a backstop: handlers never log payloads, SDP, candidates or tokens.
 */
export function createLogger(level: string) {
  return pino({
    level,
    redact: { paths: ['*.token', '*.inviteToken', '*.deviceKey', '*.sdp', '*.candidate', '*.auth'], censor: '[redacted]' },
  });
}
