/**
 * Text that people type and others see. Control and format characters (which include the bidi
 * overrides U+202A–U+202E and U+2066–U+2069 and zero-width characters) are stripped so a nickname
 * cannot reorder or hide the text around it. Rendering is text-only in React either way.
 */
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

export function cleanText(input: string): string {
  return input.normalize('NFC').replace(CONTROL_OR_FORMAT, '');
}

/** Single-line text: also collapses runs of whitespace and trims. */
export function cleanLine(input: string): string {
  return cleanText(input).replace(/\s+/gu, ' ').trim();
}
