// Is a Mapping path (spec.prefix, spec.rewrite) in the normal form Envoy routes on? Envoy normalises every
// request path first (normalize_path: RFC 3986 percent-decoding of unreserved characters and removal of . and
// .. segments; merge_slashes), so a prefix outside that form could never match, and a rewrite with dot
// segments would hand the backend a path to re-interpret. Returns why not, or undefined. Linear in the length.

const UNRESERVED = /[A-Za-z0-9\-._~]/;
/** A whole "." or ".." segment (one regex test, no allocation: this runs for every Mapping). */
const DOT_SEGMENT = /\/\.\.?(?:\/|$)/;

/** `what` is "prefix" (matched against requests) or "rewrite" (sent upstream). */
export function pathFormProblem(path: string, what: 'prefix' | 'rewrite'): string | undefined {
  if (path.includes('//')) return 'must not contain "//" (Envoy merges slashes before matching)';
  // Envoy's path normalisation turns "\" into "/" before routing (test/envoy-real/request-time.test.ts), so a
  // prefix holding one never matches; a rewrite holding one would send the backend a path the gateway itself
  // reads as another (and in a regex rewrite, "\1" is a back-reference: the rewrite silently does nothing).
  if (path.includes('\\'))
    return what === 'prefix'
      ? 'must not contain "\\": Envoy reads it as "/" before matching, so write "/"'
      : 'must not contain "\\": write "/", or %5C for a literal backslash';
  if (DOT_SEGMENT.test(path))
    return 'must not contain "." or ".." path segments (Envoy removes them from requests before matching)';
  if (what === 'rewrite') return undefined;
  for (let i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
    const hex = path.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return `has "%" at offset ${i} without two hex digits after it`;
    // path_with_escaped_slashes_action: UNESCAPE_AND_REDIRECT answers such a request with a redirect first.
    if (/^(2f|5c)$/i.test(hex)) {
      const escaped = hex.toUpperCase() === '2F' ? '/' : '\\';
      return `must not contain %${hex} (an escaped "${escaped}"): Envoy redirects such requests to the unescaped path before matching, so the prefix could never match`;
    }
    const char = String.fromCharCode(parseInt(hex, 16));
    if (UNRESERVED.test(char))
      return `must not percent-encode the unreserved character ${JSON.stringify(char)} (%${hex}): Envoy decodes it before matching, so write ${JSON.stringify(char)}`;
    if (hex !== hex.toUpperCase())
      return `must write percent-encodings in uppercase (%${hex.toUpperCase()}, not %${hex}), as Envoy normalises them`;
  }
  return undefined;
}
