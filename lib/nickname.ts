/** Friendly random nicknames offered on first visit. */
const ADJECTIVES = ['Swift', 'Brave', 'Lucky', 'Sneaky', 'Cosmic', 'Jolly', 'Nimble', 'Mighty', 'Clever', 'Sunny', 'Fuzzy', 'Bouncy'];
const ANIMALS = ['Otter', 'Falcon', 'Panda', 'Fox', 'Lynx', 'Koala', 'Gecko', 'Badger', 'Heron', 'Yak', 'Puffin', 'Walrus'];

export function randomNickname(random: () => number = Math.random): string {
  const pick = (list: string[]) => list[Math.floor(random() * list.length)] ?? list[0];
  return `${pick(ADJECTIVES)} ${pick(ANIMALS)}`;
}

export const NICKNAME_STORAGE_KEY = 'peerlobby.nickname';
