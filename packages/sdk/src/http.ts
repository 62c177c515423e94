import { ApiError, SdkError } from './errors.js';

/** A query string's parameters; absent members are left out. */
export type QueryParams = Readonly<Record<string, string | number | bigint | undefined>>;

export type Json = Readonly<Record<string, unknown>>;

export interface HttpOptions {
  readonly requestTimeoutMs: number;
  readonly fetch: typeof fetch;
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One HTTP exchange with the gateway, its body read as JD Chain's `{success, data | error}` envelope. */
export async function exchange(
  baseUrl: string,
  options: HttpOptions,
  method: 'GET' | 'POST',
  path: string,
  body?: string,
): Promise<{ status: number; envelope: Json }> {
  let response: Response;
  try {
    response = await options.fetch(`${baseUrl}${path}`, {
      method,
      signal: AbortSignal.timeout(options.requestTimeoutMs),
      ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
    });
  } catch (err) {
    throw new SdkError('UNREACHABLE', `${method} ${baseUrl}${path}: ${(err as Error).message}`);
  }
  const text = await response.text();
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch {
    throw new SdkError('BAD_RESPONSE', `${method} ${path}: HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  if (!isObject(envelope) || typeof envelope['success'] !== 'boolean') {
    throw new SdkError('BAD_RESPONSE', `${method} ${path}: HTTP ${response.status} without the {success, data|error} envelope`);
  }
  return { status: response.status, envelope };
}

/** The envelope's `data`, or its error as an ApiError. */
export function unwrap(status: number, envelope: Json): unknown {
  if (envelope['success'] === true) return envelope['data'];
  const error = isObject(envelope['error']) ? envelope['error'] : {};
  const code = error['errorCode'];
  const message = error['errorMessage'];
  throw new ApiError(
    typeof code === 'number' || typeof code === 'string' ? code : 'UNKNOWN',
    typeof message === 'string' ? message : `the gateway refused the request (HTTP ${status})`,
    status,
  );
}

export function queryString(params: QueryParams): string {
  const present = Object.entries(params).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]]));
  const search = new URLSearchParams(present);
  return search.size === 0 ? '' : `?${search.toString()}`;
}
