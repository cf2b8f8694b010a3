// client-node 1.x rejects with ApiException: `.code` is the HTTP status and `.body` the raw response text.

export function apiErrorCode(err: unknown): number | undefined {
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; statusCode?: unknown };
    if (typeof e.code === 'number') return e.code;
    if (typeof e.statusCode === 'number') return e.statusCode;
  }
  return undefined;
}

/** A one-line description of an API error for logs and Events: the Status message if there is one. */
export function apiErrorMessage(err: unknown): string {
  if (err && typeof err === 'object' && 'body' in err) {
    const body = (err as { body?: unknown }).body;
    if (typeof body === 'string') {
      try {
        const status = JSON.parse(body) as { message?: string };
        if (status.message) return status.message;
      } catch {
        /* not JSON */
      }
    }
  }
  if (err instanceof Error) return err.message.split('\n')[0];
  return String(err);
}
