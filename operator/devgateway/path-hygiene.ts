// What Envoy's connection manager does to a request path before routing, as its settings say
// (ConnectionManagerUtility::maybeNormalizePath): escaped slashes first (%2F, %5C: kept, rejected, unescaped, or
// unescaped with a 307 to the result), then RFC 3986 normalisation as Chromium's URL canonicaliser does it
// (percent-decoding of unreserved characters, `\` as `/`, dot segments), then merge_slashes. The query is left
// alone. Pure; checked against real Envoy by test/real/dev-gateway-parity.test.ts.

export type EscapedSlashesAction =
  | 'IMPLEMENTATION_SPECIFIC_DEFAULT'
  | 'KEEP_UNCHANGED'
  | 'REJECT_REQUEST'
  | 'UNESCAPE_AND_REDIRECT'
  | 'UNESCAPE_AND_FORWARD';

export interface PathHygiene {
  normalizePath: boolean;
  mergeSlashes: boolean;
  escapedSlashes: EscapedSlashesAction;
}

export type HygieneResult = { action: 'continue' | 'redirect'; pathAndQuery: string } | { action: 'reject' };

const UNRESERVED = /[A-Za-z0-9\-._~]/;

function unescapeSlashes(path: string): { path: string; found: boolean } {
  let found = false;
  const out = path.replace(/%(2f|5c)/gi, (m) => {
    found = true;
    return m.toLowerCase() === '%2f' ? '/' : '\\';
  });
  return { path: out, found };
}

/** Chromium's path canonicalisation, for the inputs a client can send (printable ASCII, percent escapes). */
export function canonicalPath(path: string): string {
  let decoded = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '%' && /^[0-9A-Fa-f]{2}$/.test(path.slice(i + 1, i + 3))) {
      const ch = String.fromCharCode(parseInt(path.slice(i + 1, i + 3), 16));
      decoded += UNRESERVED.test(ch) ? ch : `%${path.slice(i + 1, i + 3).toUpperCase()}`;
      i += 2;
    } else if (c === '\\') {
      decoded += '/';
    } else {
      decoded += c;
    }
  }
  return removeDotSegments(decoded);
}

/** RFC 3986 §5.2.4, on an absolute path: `..` never climbs above the root. */
function removeDotSegments(path: string): string {
  const segments = path.split('/').slice(1);
  const out: string[] = [];
  segments.forEach((s, i) => {
    const last = i === segments.length - 1;
    if (s === '.') {
      if (last) out.push('');
    } else if (s === '..') {
      out.pop();
      if (last) out.push('');
    } else {
      out.push(s);
    }
  });
  return `/${out.join('/')}`;
}

/** Envoy's PathUtil::mergeSlashes: keeps a leading and a trailing slash, joins the non-empty segments. */
export function mergeSlashes(path: string): string {
  if (!path.includes('//')) return path;
  const prefix = path.startsWith('/') ? '/' : '';
  const suffix = path.endsWith('/') ? '/' : '';
  return `${prefix}${path.split('/').filter(Boolean).join('/')}${suffix}`;
}

export function applyPathHygiene(pathAndQuery: string, h: PathHygiene): HygieneResult {
  const q = pathAndQuery.indexOf('?');
  let path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  const query = q < 0 ? '' : pathAndQuery.slice(q);
  let action: 'continue' | 'redirect' = 'continue';
  if (h.escapedSlashes !== 'KEEP_UNCHANGED' && h.escapedSlashes !== 'IMPLEMENTATION_SPECIFIC_DEFAULT') {
    const u = unescapeSlashes(path);
    if (u.found) {
      if (h.escapedSlashes === 'REJECT_REQUEST') return { action: 'reject' };
      if (h.escapedSlashes === 'UNESCAPE_AND_REDIRECT') action = 'redirect';
      path = u.path;
    }
  }
  if (h.normalizePath) path = canonicalPath(path);
  if (h.mergeSlashes) path = mergeSlashes(path);
  return { action, pathAndQuery: `${path}${query}` };
}
