import { describe, expect, it } from 'vitest';
import {
  CreateLobbyInput,
  DEFAULT_LOBBY_SIZE,
  INVITE_TOKEN_BYTES,
  InviteToken,
  JoinLobbyInput,
  KickInput,
  LOBBY_CODE_ALPHABET,
  LOBBY_CODE_LENGTH,
  LobbyCode,
  MAX_LOBBY_SIZE,
  MAX_NICKNAME_CHARS,
  MIN_LOBBY_SIZE,
  Nickname,
  SetReadyInput,
  UpdateSettingsInput,
  cleanLine,
} from '../../lib/protocol';
import { DeviceKeys } from '../../server/identity';
import { newInviteToken, newLobbyCode, newPlayerId } from '../../server/lobby/ids';

/** Enough draws that a character outside the alphabet would show up if the generator could emit one. */
const ID_SAMPLES = 500;

describe('nicknames', () => {
  it('strips control, bidi-override and zero-width characters', () => {
    expect(Nickname.parse('A\u0000n\u0007n\u001b')).toBe('Ann');
    expect(Nickname.parse('\u202Eevil\u202C\u2066x\u2069')).toBe('evilx');
    expect(Nickname.parse('B\u200Bo\u200Cb\u200D\uFEFF')).toBe('Bob');
    expect(Nickname.parse('line\u2028break\u2029')).toBe('linebreak');
  });

  it('collapses runs of whitespace and trims', () => {
    expect(Nickname.parse('  Ann \t\n  Lee  ')).toBe('Ann Lee');
    expect(cleanLine('a\u00A0\u00A0b')).toBe('a b');
  });

  it('normalises to NFC', () => {
    expect(Nickname.parse('e\u0301')).toBe('\u00E9');
  });

  it('rejects a nickname that is empty after cleaning', () => {
    for (const raw of ['', '   ', '\u200B\u200B', '\u202E\u0000 \t'])
      expect(Nickname.safeParse(raw).success).toBe(false);
  });

  it('rejects over-long nicknames, and huge raw input before cleaning', () => {
    expect(Nickname.safeParse('x'.repeat(MAX_NICKNAME_CHARS)).success).toBe(true);
    expect(Nickname.safeParse('x'.repeat(MAX_NICKNAME_CHARS + 1)).success).toBe(false);
    // Mostly strippable characters, but far too much raw input: refused without cleaning.
    expect(Nickname.safeParse(`a${'\u200B'.repeat(10_000)}`).success).toBe(false);
  });

  it('rejects non-strings', () => {
    for (const v of [null, undefined, 5, ['Ann'], { nickname: 'Ann' }])
      expect(Nickname.safeParse(v).success).toBe(false);
  });
});

describe('lobby codes', () => {
  it('are case-insensitive and trimmed, stored upper-case', () => {
    expect(LobbyCode.parse('abcdef')).toBe('ABCDEF');
    expect(LobbyCode.parse(' x7k9mp ')).toBe('X7K9MP');
  });

  it.each(['0', 'O', 'o', '1', 'I', 'i', 'L', 'l'])('reject the ambiguous character %s', (ch) => {
    expect(LobbyCode.safeParse(`ABCDE${ch}`).success).toBe(false);
  });

  it('reject wrong lengths and other characters', () => {
    for (const raw of ['ABCDE', 'ABCDEFG', 'ABC-EF', 'ABCDÉF', '', 'A'.repeat(100)]) {
      expect(LobbyCode.safeParse(raw).success).toBe(false);
    }
  });
});

describe('invite tokens', () => {
  it('accept 22 base64url characters only', () => {
    expect(InviteToken.safeParse('A'.repeat(22)).success).toBe(true);
    expect(InviteToken.safeParse('abc_-XYZ0123456789abcd').success).toBe(true);
    for (const raw of [
      'A'.repeat(21),
      'A'.repeat(23),
      `${'A'.repeat(21)}=`,
      `${'A'.repeat(21)}+`,
      `${'A'.repeat(21)}/`,
    ]) {
      expect(InviteToken.safeParse(raw).success).toBe(false);
    }
  });
});

describe('create and join inputs', () => {
  const valid = { nickname: 'Ann', name: 'Room', visibility: 'public' };

  it('defaults maxPlayers to 8', () => {
    expect(DEFAULT_LOBBY_SIZE).toBe(8);
    expect(CreateLobbyInput.parse(valid).maxPlayers).toBe(8);
  });

  it('bounds maxPlayers to 2..16 integers', () => {
    expect(MIN_LOBBY_SIZE).toBe(2);
    expect(MAX_LOBBY_SIZE).toBe(16);
    for (const n of [2, 16])
      expect(CreateLobbyInput.safeParse({ ...valid, maxPlayers: n }).success).toBe(true);
    for (const n of [1, 17, 2.5, -1, Number.NaN, Infinity, '8']) {
      expect(CreateLobbyInput.safeParse({ ...valid, maxPlayers: n }).success).toBe(false);
    }
  });

  it('rejects unknown visibilities', () => {
    expect(CreateLobbyInput.safeParse({ ...valid, visibility: 'secret' }).success).toBe(false);
  });

  it('strict objects reject extra keys, including prototype keys', () => {
    expect(CreateLobbyInput.safeParse({ ...valid, admin: true }).success).toBe(false);
    expect(
      CreateLobbyInput.safeParse(
        JSON.parse('{"nickname":"A","name":"R","visibility":"public","__proto__":{"x":1}}'),
      ).success,
    ).toBe(false);
    expect(SetReadyInput.safeParse({ ready: true, extra: 1 }).success).toBe(false);
    expect(SetReadyInput.safeParse(JSON.parse('{"ready":true,"__proto__":{"ready":false}}')).success).toBe(
      false,
    );
    expect(KickInput.safeParse({ playerId: 'player-a', ban: false, from: 'x' }).success).toBe(false);
    expect(JoinLobbyInput.safeParse({ nickname: 'A', code: 'ABCDEF', extra: 1 }).success).toBe(false);
  });

  it('join takes a code or an invite, never both or neither', () => {
    expect(JoinLobbyInput.safeParse({ nickname: 'A', code: 'abcdef' }).success).toBe(true);
    expect(JoinLobbyInput.safeParse({ nickname: 'A', invite: 'A'.repeat(22) }).success).toBe(true);
    expect(JoinLobbyInput.safeParse({ nickname: 'A', code: 'ABCDEF', invite: 'A'.repeat(22) }).success).toBe(
      false,
    );
    expect(JoinLobbyInput.safeParse({ nickname: 'A' }).success).toBe(false);
  });

  it('kick defaults ban to false', () => {
    expect(KickInput.parse({ playerId: 'player-a' })).toEqual({ playerId: 'player-a', ban: false });
  });

  it('settings need at least one setting and keep the bounds', () => {
    expect(UpdateSettingsInput.safeParse({}).success).toBe(false);
    expect(UpdateSettingsInput.safeParse({ maxPlayers: 1 }).success).toBe(false);
    expect(UpdateSettingsInput.parse({ name: '  New   name ' })).toEqual({ name: 'New name' });
  });
});

describe('server ids', () => {
  it('lobby codes have length 6, use only the alphabet, and parse as codes', () => {
    const alphabet = new Set(LOBBY_CODE_ALPHABET);
    for (let i = 0; i < ID_SAMPLES; i++) {
      const code = newLobbyCode();
      expect(code).toHaveLength(LOBBY_CODE_LENGTH);
      expect([...code].every((c) => alphabet.has(c))).toBe(true);
      expect(LobbyCode.parse(code)).toBe(code);
    }
    expect(LOBBY_CODE_LENGTH).toBe(6);
    expect(LOBBY_CODE_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it('invite tokens decode to 16 bytes and parse as invite tokens', () => {
    for (let i = 0; i < ID_SAMPLES; i++) {
      const token = newInviteToken();
      expect(Buffer.from(token, 'base64url')).toHaveLength(INVITE_TOKEN_BYTES);
      expect(InviteToken.safeParse(token).success).toBe(true);
    }
    expect(INVITE_TOKEN_BYTES).toBe(16);
  });

  it('tokens and player ids do not repeat', () => {
    const tokens = new Set(Array.from({ length: ID_SAMPLES }, newInviteToken));
    const players = new Set(Array.from({ length: ID_SAMPLES }, newPlayerId));
    expect(tokens.size).toBe(ID_SAMPLES);
    expect(players.size).toBe(ID_SAMPLES);
  });
});

describe('DeviceKeys', () => {
  const keys = new DeviceKeys('a-test-secret-of-enough-length');

  it('verifies a key it issued and returns its device id', () => {
    const { deviceId, key } = keys.issue();
    expect(keys.verify(key)).toBe(deviceId);
  });

  it('rejects missing, malformed and forged keys', () => {
    const { deviceId, key } = keys.issue();
    const mac = key.slice(deviceId.length + 1);
    const other = keys.issue();
    const flipped = `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [
      undefined,
      '',
      '.',
      deviceId,
      `${deviceId}.`,
      `.${mac}`,
      `${deviceId}.${flipped}`,
      `${deviceId}.${mac.slice(0, -1)}`,
      `${deviceId}.${other.key.split('.')[1]}`,
      `${other.deviceId}.${mac}`,
      `${deviceId}x.${mac}`,
    ]) {
      expect(keys.verify(bad)).toBeNull();
    }
  });

  it('accepts exactly the issued form: no trailing segments', () => {
    const { key } = keys.issue();
    expect(keys.verify(`${key}.extra`)).toBeNull();
  });

  it('rejects a key signed with another secret', () => {
    const { key } = new DeviceKeys('another-secret-of-enough-length').issue();
    expect(keys.verify(key)).toBeNull();
  });
});
