/**
 * Text that people type and others see. Control and format characters (which include the bidi
 * overrides U+202A–U+202E and U+2066–U+2069 and zero-width characters) are stripped so a nickname
 * cannot reorder or hide the text around it. Rendering is text-only in React either way.
 */
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
/**
 * Characters that render as nothing in a one-line name: Unicode's default-ignorables (the Hangul
 * fillers U+3164, U+115F, U+1160, U+FFA0, variation selectors, the combining grapheme joiner, …).
 */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;
/** Blank-looking characters that are not whitespace to Unicode (U+2800 BRAILLE PATTERN BLANK). */
const BLANK_LOOKING = /\u2800/gu;
/** A name must show at least one of these; combining marks alone sit on nothing. */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

export function cleanText(input: string): string {
  return input.normalize('NFC').replace(CONTROL_OR_FORMAT, '');
}

/** Single-line text (names): also drops invisible fillers, collapses runs of whitespace and trims. */
export function cleanLine(input: string): string {
  return cleanText(input).replace(INVISIBLE, '').replace(BLANK_LOOKING, ' ').replace(/\s+/gu, ' ').trim();
}

/** Whether a cleaned line shows anything at all. */
export const hasVisibleText = (line: string) => VISIBLE.test(line);
