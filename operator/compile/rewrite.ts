// How `spec.rewrite` replaces the matched `spec.prefix`, without ever producing `//`.
//  - rewrite "" or equal to the prefix: the path is forwarded unchanged.
//  - rewrite ends in "/" but the prefix does not (e.g. prefix /user, rewrite /): a plain prefix_rewrite would
//    turn /user/health into //health, so we use a regex that also eats the slashes after the prefix:
//    ^/user/* → "/" gives /user/health → /health, /user → /, /users → /s (prefix is a plain string, as in
//    Ambassador).
//  - otherwise a plain prefix_rewrite is exact: prefix /user/ with rewrite / gives /user/health → /health.
import type { IRRewrite } from './ir.js';

/** Escapes RE2 metacharacters so that `s` matches literally. */
export function escapeRe2(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/**
 * RE2 reads `\N` in a substitution as a back-reference (and a bad one makes Envoy skip the rewrite), so a
 * literal backslash is written `\\`. path-form.ts refuses backslashes in rewrites anyway; this keeps the IR's
 * substitution literal whatever reaches it.
 */
export function escapeRe2Substitution(s: string): string {
  return s.replace(/\\/g, '\\\\');
}

export function planRewrite(prefix: string, rewrite: string | undefined): IRRewrite {
  const r = rewrite ?? '/';
  if (r === '' || r === prefix) return { kind: 'none' };
  if (r.endsWith('/') && !prefix.endsWith('/')) {
    return { kind: 'regex', pattern: `^${escapeRe2(prefix)}/*`, substitution: escapeRe2Substitution(r) };
  }
  return { kind: 'prefix', value: r };
}
