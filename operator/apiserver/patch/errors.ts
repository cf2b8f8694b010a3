// The one error type every patch function throws. The API server turns it into a Status body
// (`{kind:"Status", code, reason, message, details:{causes}}`) without further interpretation.

export type PatchErrorCode = 400 | 409 | 422 | 415;
export type PatchErrorReason = 'BadRequest' | 'Conflict' | 'Invalid' | 'UnsupportedMediaType';

export interface PatchErrorCause {
  reason: string;
  message: string;
  field: string;
}

const REASONS: Record<PatchErrorCode, PatchErrorReason> = {
  400: 'BadRequest',
  409: 'Conflict',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
};

export class PatchError extends Error {
  readonly code: PatchErrorCode;
  readonly reason: PatchErrorReason;
  readonly causes?: PatchErrorCause[];
  /**
   * What went wrong in detail, for logs. The real server hides it for JSON patch failures (its body only
   * says "the server rejected our request due to an error in our request"), so it is kept apart from `message`.
   */
  readonly detail?: string;

  constructor(code: PatchErrorCode, message: string, opts: { causes?: PatchErrorCause[]; detail?: string } = {}) {
    super(message);
    this.name = 'PatchError';
    this.code = code;
    this.reason = REASONS[code];
    if (opts.causes) this.causes = opts.causes;
    if (opts.detail !== undefined) this.detail = opts.detail;
  }
}

export function badRequest(message: string): PatchError {
  return new PatchError(400, message);
}

/** apimachinery NewGenericServerResponse(422, …): the body carries only this generic message. */
export const GENERIC_INVALID_MESSAGE = 'the server rejected our request due to an error in our request';

export function genericInvalid(detail: string): PatchError {
  return new PatchError(422, GENERIC_INVALID_MESSAGE, { detail });
}
