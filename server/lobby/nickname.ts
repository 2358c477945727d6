import unhomoglyph from 'unhomoglyph';

/**
 * What two nicknames are compared by, so a player cannot take a name that looks like another
 * member's: NFKC folds compatibility forms (fullwidth "Ｈｏｓｔ", mathematical 𝐇), the UTS #39 skeleton
 * (unhomoglyph: Unicode's confusables.txt prototypes) maps look-alikes across scripts (Cyrillic "Нost",
 * "0" and "O", "1" and "l"), and case and whitespace are ignored ("host", "H o s t"). Server-only: the
 * confusables table is ~100 KB, too much for the browser bundle.
 */
export function nicknameKey(nickname: string): string {
  const skeleton = (s: string) => unhomoglyph(s.normalize('NFD')).normalize('NFD');
  const folded = skeleton(nickname.normalize('NFKC'));
  // Lower-casing can produce characters the table maps again, so the skeleton is taken once more.
  return skeleton(folded.toLowerCase()).replace(/[\s\p{Default_Ignorable_Code_Point}]/gu, '');
}
