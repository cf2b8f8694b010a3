// Who may talk to the embedded API server: it holds every Secret of `portico dev` and listens on loopback of
// a machine other users and every web page in a browser can reach. So, before routing:
// - the Host header must name loopback (a DNS-rebinding page arrives with its own host name);
// - no Origin header (browsers send one on every cross-origin request; kubectl and client-node never do);
// - with a token configured, `Authorization: Bearer <token>` (kube-apiserver's 401 otherwise), except for the
//   version and health endpoints, which kube-apiserver also serves to anonymous users.
// Content-Type on writes is checked where the body is decoded (endpoints/resource-handlers.ts, patch-handler.ts).
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '../encoding/status-errors.js';

const ANONYMOUS_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

function status(code: number, reason: string, message: string): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

/** 127.0.0.0/8, ::1 and localhost, with or without a port. */
export function isLoopbackHost(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]);
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** The refusal for a request that may not reach the API, or undefined when it may. */
export function refuseRequest(
  headers: IncomingHttpHeaders,
  path: string,
  token: string | undefined,
): ApiError | undefined {
  const host = headers.host;
  if (host !== undefined && !isLoopbackHost(host)) {
    return status(
      403,
      'Forbidden',
      `host ${JSON.stringify(host)} is not a loopback address: the embedded API server answers only requests for 127.0.0.1, localhost or [::1]`,
    );
  }
  if (headers.origin !== undefined) {
    return status(
      403,
      'Forbidden',
      'requests from web pages (with an Origin header) are not accepted by the embedded API server',
    );
  }
  if (token !== undefined && !ANONYMOUS_PATHS.has(path) && !tokenMatches(headers.authorization, token)) {
    return status(401, 'Unauthorized', 'Unauthorized');
  }
  return undefined;
}
