/**
 * Airtable's error bodies, as the Web API sends them: `{ error: { type, message? } }`, `{ error: 'NOT_FOUND' }` for
 * unknown routes and records, `{ errors: [{ error: 'RATE_LIMIT_REACHED', … }] }` for a 429.
 */

/** What the API says when a token may not read a base, or the base (or table) does not exist. */
const PERMISSION_MESSAGE =
  'Invalid permissions, or the requested model was not found. Check that both your user and your token have the required permissions, and that the model names and/or ids are correct.';

const INVALID_FORMULA = 'The formula for filtering records is invalid: Invalid formula. Please check your formula text.';

/** Thrown inside request handling; the server turns it into a JSON error response with `status` and `body`. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    super(JSON.stringify(body));
    this.status = status;
    this.body = body;
  }
}

/** An error of Airtable's usual shape, `{ error: { type, message? } }`. */
export function typedError(status: number, type: string, message?: string): ApiError {
  return new ApiError(status, { error: message === undefined ? { type } : { type, message } });
}

/** 404 `{ error: 'NOT_FOUND' }`: an unknown route or record. */
export function notFound(): ApiError {
  return new ApiError(404, { error: 'NOT_FOUND' });
}

/** 422 INVALID_REQUEST_UNKNOWN: a list parameter or request body the API would refuse. */
export function invalidRequest(message: string): ApiError {
  return typedError(422, 'INVALID_REQUEST_UNKNOWN', `Invalid request: ${message}`);
}

/** 422 INVALID_FILTER_BY_FORMULA: a formula that does not parse, or names unknown fields. */
export function invalidFormula(message = INVALID_FORMULA): ApiError {
  return typedError(422, 'INVALID_FILTER_BY_FORMULA', message);
}

/** 403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND. */
export function permissionDenied(): ApiError {
  return typedError(403, 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND', PERMISSION_MESSAGE);
}

/** The JSON body Airtable sends with a given error status (used for injected `status` faults without a body). */
export function airtableErrorBody(status: number): unknown {
  switch (status) {
    case 401:
      return { error: { type: 'AUTHENTICATION_REQUIRED', message: 'Authentication required' } };
    case 403:
      return { error: { type: 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND', message: PERMISSION_MESSAGE } };
    case 404:
      return { error: 'NOT_FOUND' };
    case 413:
      return { error: { type: 'REQUEST_TOO_LARGE', message: 'Request body is too large' } };
    case 422:
      return { error: { type: 'INVALID_REQUEST_UNKNOWN', message: 'Invalid request: parameter validation failed.' } };
    case 429:
      return { errors: [{ error: 'RATE_LIMIT_REACHED', message: 'Rate limit exceeded. Please try again later' }] };
    case 503:
      return { error: { type: 'RETRIABLE_ERROR' } };
    default:
      return status >= 500 ? { error: { type: 'SERVER_ERROR', message: 'Server error' } } : { error: { type: 'UNKNOWN_ERROR' } };
  }
}
