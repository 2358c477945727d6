/** Friendly random nicknames offered on first visit. */
const ADJECTIVES = [
  'Swift',
  'Brave',
  'Lucky',
  'Sneaky',
  'Cosmic',
  'Jolly',
  'Nimble',
  'Mighty',
  'Clever',
  'Sunny',
  'Fuzzy',
  'Bouncy',
];
const ANIMALS = [
  'Otter',
  'Falcon',
  'Panda',
  'Fox',
  'Lynx',
  'Koala',
  'Gecko',
  'Badger',
  'Heron',
  'Yak',
  'Puffin',
  'Walrus',
];

export function randomNickname(random: () => number = Math.random): string {
  const pick = (list: string[]) => list[Math.floor(random() * list.length)] ?? list[0];
  return `${pick(ADJECTIVES)} ${pick(ANIMALS)}`;
}

export const NICKNAME_STORAGE_KEY = 'peerlobby.nickname';

/**
 * A nickname to offer when the server answers NICKNAME_TAKEN: the same name with a number, the
 * number counted up when it already has one ("Alex" → "Alex 2" → "Alex 3"), within `maxChars`.
 */
export function suggestNickname(taken: string, maxChars = 32): string {
  const match = /^(.*?)\s*(\d+)$/u.exec(taken.trim());
  const base = (match ? match[1] : taken.trim()) || 'Player';
  const next = ` ${match ? Number(match[2]) + 1 : 2}`;
  return `${[...base]
    .slice(0, Math.max(1, maxChars - next.length))
    .join('')
    .trimEnd()}${next}`;
}
