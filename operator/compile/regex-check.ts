// A first check of a user's RE2 expression, before Envoy sees it: Envoy refuses the whole configuration for one
// bad regex, so a Mapping's must be refused on its own. JavaScript's parser stands in for RE2's (close for the
// common syntax), and the Perl features RE2 does not have are refused by name. `envoy --mode validate` (the
// operator's config check) remains the last word, e.g. on RE2's program-size limit.

const NOT_IN_RE2: Array<[RegExp, string]> = [
  [/\(\?[=!]/, 'lookahead ((?=…), (?!…)) is not supported by RE2'],
  [/\(\?<[=!]/, 'lookbehind ((?<=…), (?<!…)) is not supported by RE2'],
  [/\\[1-9]/, 'back-references (\\1) are not supported by RE2'],
  [/\(\?<[A-Za-z]/, 'named groups are written (?P<name>…) in RE2'],
];

/** Why `pattern` is not a usable RE2 expression, or undefined. */
export function re2Problem(pattern: string): string | undefined {
  for (const [re, why] of NOT_IN_RE2) if (re.test(pattern)) return why;
  try {
    // RE2's (?P<name>…) is JavaScript's (?<name>…).
    new RegExp(pattern.replace(/\(\?P</g, '(?<'));
  } catch (err) {
    return `is not a valid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
  return undefined;
}
