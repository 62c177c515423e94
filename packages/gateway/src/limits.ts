import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance } from 'fastify';
import { ConfigError, type ConfigObject } from '@jadechain/service';

/** Cross-origin access for browser clients: off unless configured. */
export interface CorsConfig {
  /** Origins allowed to call the API (`https://app.example.com`), or `["*"]` for any. */
  readonly origins: readonly string[];
}

/** Requests each client (by remote address) may make per window; over it the answer is 429 RATE_LIMITED. */
export interface RateLimitConfig {
  readonly max: number;
  readonly windowMs: number;
}

export interface HttpLimitsConfig {
  readonly cors?: CorsConfig;
  readonly rateLimit: RateLimitConfig;
}

/** Generous enough for any interactive or scripted client; an operator lowers it for public exposure. */
export const DEFAULT_RATE_LIMIT: RateLimitConfig = { max: 10_000, windowMs: 60_000 };

/** The rate limit's answer, in JD Chain's envelope like every other refusal of the gateway. */
export const RATE_LIMITED = { errorCode: 4290, status: 429 } as const;

/** Reads the optional `cors` and `rateLimit` sections of the gateway configuration. */
export function readHttpLimits(config: ConfigObject): HttpLimitsConfig {
  const corsSection = config.optionalObject('cors')?.only(['origins']);
  const limit = config.optionalObject('rateLimit')?.only(['max', 'windowMs']);
  const rate = {
    max: limit?.integer('max', DEFAULT_RATE_LIMIT.max, 1, 1_000_000_000) ?? DEFAULT_RATE_LIMIT.max,
    windowMs: limit?.integer('windowMs', DEFAULT_RATE_LIMIT.windowMs, 100, 86_400_000) ?? DEFAULT_RATE_LIMIT.windowMs,
  };
  return corsSection === undefined ? { rateLimit: rate } : { cors: { origins: originList(corsSection) }, rateLimit: rate };
}

function originList(section: ConfigObject): string[] {
  const origins = section.raw('origins');
  if (!Array.isArray(origins) || origins.length === 0 || !origins.every((origin): origin is string => typeof origin === 'string' && origin.length > 0)) {
    throw new ConfigError(section.field('origins'), 'must be a non-empty array of origins (or ["*"])');
  }
  return origins;
}

/** The error the rate limiter throws; the gateway's error handler answers it with `envelope()`. */
export class RateLimitedError extends Error {
  readonly code = 'RATE_LIMITED';
  readonly statusCode = RATE_LIMITED.status;

  constructor(retryAfter: string) {
    super(`too many requests from this client; retry in ${retryAfter}`);
    this.name = 'RateLimitedError';
  }

  envelope(): { success: false; error: { errorCode: number; errorMessage: string } } {
    return { success: false, error: { errorCode: RATE_LIMITED.errorCode, errorMessage: `${this.code}: ${this.message}` } };
  }
}

export function isRateLimited(error: FastifyError | Error): error is RateLimitedError {
  return error instanceof RateLimitedError;
}

/**
 * CORS (when configured) and the per-client rate limit on every path, including unknown ones.
 * The limiter is registered non-globally and added as an onRequest hook once loaded: its global
 * mode hooks route creation, which would miss the routes declared before the plugin loads.
 */
export function installHttpLimits(app: FastifyInstance, limits: HttpLimitsConfig): void {
  if (limits.cors !== undefined) {
    const origins = limits.cors.origins;
    void app.register(cors, { origin: origins.includes('*') ? '*' : [...origins], methods: ['GET', 'POST', 'OPTIONS'] });
  }
  void app
    .register(rateLimit, {
      global: false,
      max: limits.rateLimit.max,
      timeWindow: limits.rateLimit.windowMs,
      errorResponseBuilder: (_request, context) => new RateLimitedError(context.after),
    })
    .after((error) => {
      if (error !== null && error !== undefined) throw error;
      app.addHook('onRequest', app.rateLimit());
    });
}
