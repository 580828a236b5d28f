/** Pre-filter for the RegExp phrasings of classifySuspensionText (internal, not part of the public API). */

/**
 * The longest word that every match of a pattern must contain, or null when none can be told:
 * optional parts (groups, classes, a letter before "?") are removed first, and a top-level "|"
 * means no single word is required.
 */
export function requiredWord(source: string): string | null {
  let rest = source;
  // Innermost groups first, with any quantifier after them, until none is left.
  for (let previous = ''; previous !== rest;) {
    previous = rest;
    rest = rest.replace(/\((?:[^()\\]|\\.)*\)[?*+]?/g, ' ');
  }
  if (rest.includes('(') || rest.includes(')') || rest.includes('|')) return null;
  rest = rest
    // The source of one of the project's own expressions, never text from outside.
    // eslint-disable-next-line regexp/no-super-linear-move
    .replace(/\[[^\]]*\][?*+]?/g, ' ')
    .replace(/\\./g, ' ')
    .replace(/.[?*]/gu, ' ');
  let best: string | null = null;
  for (const word of rest.split(/[^\p{L}\p{N}]+/u)) {
    if (word.length >= 3 && (!best || word.length > best.length)) best = word;
  }
  return best;
}
