// What Envoy refuses before routing, read from the listener's connection manager, for the dev gateway to refuse
// alike: with headers_with_underscores_action REJECT_REQUEST, a header name with an underscore gets
// `400 Bad Request` and the connection is closed (Envoy 1.40, test/real/edge-http.test.ts compares the two).
import { connectionManagerFor } from './route-model.js';

export interface Rejection {
  status: number;
  body: string;
}

export function rejectBeforeRouting(
  bootstrap: object,
  port: number,
  headerNames: readonly string[],
): Rejection | undefined {
  const action = connectionManagerFor(bootstrap, port)?.common_http_protocol_options?.headers_with_underscores_action;
  if (action === 'REJECT_REQUEST' && headerNames.some((n) => n.includes('_')))
    return { status: 400, body: 'Bad Request' };
  return undefined;
}
