import { describe, expect, it } from 'vitest';
import { ErrorCode, Nickname } from '../../lib/protocol';
import { suggestNickname } from '../../lib/nickname';
import { applyCommand } from '../../server/lobby/lobby';
import { nicknameKey } from '../../server/lobby/nickname';
import { T0, lobbyWith, player } from './fixtures';

describe('nicknameKey: NFKC, then the UTS #39 confusables skeleton, case and spacing aside', () => {
  it.each([
    ['an exact copy', 'Host'],
    ['another case', 'HOST'],
    ['fullwidth letters', 'Ｈｏｓｔ'],
    ['mathematical bold', '𝐇𝐨𝐬𝐭'],
    ['a Cyrillic Н', '\u041Dost'],
    ['a Cyrillic о', 'H\u043Est'],
    ['spaced out', 'H o s t'],
    ['a zero in place of the o', 'H0st'],
  ])('%s looks like "Host"', (_, name) => {
    expect(nicknameKey(name)).toBe(nicknameKey('Host'));
  });

  it('keeps different names apart', () => {
    expect(nicknameKey('Hostess')).not.toBe(nicknameKey('Host'));
    expect(nicknameKey('Ann')).not.toBe(nicknameKey('Anna'));
    expect(nicknameKey('Guest2')).not.toBe(nicknameKey('Guest3'));
  });
});

describe('joining under a look-alike name', () => {
  it('is refused with NICKNAME_TAKEN and changes nothing; a different name gets in', () => {
    const lobby = lobbyWith(['a']); // members "host" and "a"
    const clash = applyCommand(lobby, {
      type: 'join',
      member: { ...player('x'), nickname: 'Ｈｏｓｔ' },
      via: 'invite',
      now: T0,
    });
    expect(clash).toEqual({ ok: false, error: ErrorCode.NICKNAME_TAKEN });
    expect(
      applyCommand(lobby, {
        type: 'join',
        member: { ...player('x'), nickname: 'Zed' },
        via: 'invite',
        now: T0,
      }).ok,
    ).toBe(true);
  });
});

describe('Nickname: never blank once invisible characters are gone', () => {
  it.each([
    ['Hangul filler', '\u3164'],
    ['halfwidth Hangul filler', '\uFFA0\uFFA0'],
    ['Braille blank', '\u2800\u2800'],
    ['zero-width characters', '\u200B\u200C\u200D\u2060\uFEFF'],
    ['a combining mark alone', '\u0301'],
    ['fillers around spaces', ' \u3164 \u115F\u1160 '],
  ])('%s is refused', (_, name) => {
    expect(Nickname.safeParse(name).success).toBe(false);
  });

  it('a real name keeps its text and loses the fillers', () => {
    expect(Nickname.parse('\u3164Ann\u2800\u200B')).toBe('Ann');
  });
});

describe('suggestNickname', () => {
  it('adds a number, or counts it up, within the length limit', () => {
    expect(suggestNickname('Alex')).toBe('Alex 2');
    expect(suggestNickname('Alex 2')).toBe('Alex 3');
    expect(suggestNickname('Guest9')).toBe('Guest 10');
    expect(suggestNickname('x'.repeat(32))).toBe(`${'x'.repeat(30)} 2`);
  });
});
