/**
 * How many characters a person counts in a text: code points, not UTF-16 units. An emoji or a letter
 * outside the Basic Multilingual Plane is one character, not two, so a limit stated in characters
 * («الحد 1000 حرف») holds for what the reader typed.
 *
 * @example countCharacters("سؤال 😀") === 6
 */
export function countCharacters(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}
