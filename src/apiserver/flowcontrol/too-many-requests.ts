/**
 * The refusal of a throttled request, as upstream's filters write it (maxinflight.go
 * tooManyRequests, used by the APF filter): HTTP 429 with `Retry-After` and the plain-text
 * body `Too many requests, please try again later.` (Go's http.Error: text/plain, nosniff,
 * a trailing newline). client-go and kubectl turn it into a TooManyRequests Status and
 * retry after the given seconds.
 */
import type { ServerResponse } from 'node:http';

export const TOO_MANY_REQUESTS_MESSAGE = 'Too many requests, please try again later.';

/** Writes the 429 with `Retry-After: retryAfterSeconds`. */
export function writeTooManyRequests(res: ServerResponse, retryAfterSeconds: number): void {
  const body = `${TOO_MANY_REQUESTS_MESSAGE}\n`;
  res.writeHead(429, {
    'Retry-After': String(retryAfterSeconds), 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}
