/**
 * Cross-site request forgery defence for cookie-authenticated requests (Grafana
 * CVE-2022-21703 class). On top of the `SameSite=Strict` session cookie, a state-changing
 * request must (1) come from the server's own origin: an `Origin` header, when sent, equal to
 * it, and `Sec-Fetch-Site`, when sent, `same-origin`; without `Origin`, the custom header
 * `X-Vigil-CSRF` (which a cross-site form cannot add) is required; and (2) carry a JSON body:
 * the content types an HTML form or a no-preflight `fetch` can send (`text/plain`,
 * `application/x-www-form-urlencoded`, `multipart/form-data`) are refused.
 */
import type { FastifyRequest } from 'fastify';
import { SecurityError } from './errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True for methods that change state. */
export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method);
}

/** The origin the request was addressed to, from its `Host` header. */
export function selfOrigin(req: FastifyRequest, tls: boolean): string | null {
  const host = req.headers.host;
  return host ? `${tls ? 'https' : 'http'}://${host.toLowerCase()}` : null;
}

/**
 * Checks that a request comes from the dashboard's own origin.
 * @param allowed extra origins treated as own (e.g. the configured public URL)
 * @param requireMarker when `Origin` is absent, require `X-Vigil-CSRF` (true for signed-in requests;
 *   false for sign-in itself, which carries no ambient credential: browsers always send `Origin`
 *   on a cross-site POST, so only a mismatch is refused there)
 * @throws {SecurityError} `CSRF_REJECTED` naming the mismatch
 */
export function checkSameOrigin(
  req: FastifyRequest,
  tls: boolean,
  allowed: readonly string[],
  requireMarker = true,
): void {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') {
    throw new SecurityError('CSRF_REJECTED', `cross-site request refused (Sec-Fetch-Site: ${site})`);
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const own = selfOrigin(req, tls);
    if (origin.toLowerCase() !== own && !allowed.includes(origin.toLowerCase())) {
      throw new SecurityError(
        'CSRF_REJECTED',
        `cross-site request refused: Origin ${origin} is not ${own ?? 'this server'}`,
      );
    }
    return;
  }
  if (requireMarker && !req.headers['x-vigil-csrf']) {
    throw new SecurityError(
      'CSRF_REJECTED',
      'a signed-in state-changing request needs an Origin header or the X-Vigil-CSRF header',
    );
  }
}

/**
 * Refuses bodies that are not JSON on a state-changing request.
 * @throws {SecurityError} `UNSUPPORTED_MEDIA_TYPE`
 */
export function checkJsonBody(req: FastifyRequest): void {
  const length = req.headers['content-length'];
  const hasBody = (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!hasBody && type === '') return;
  if (type !== 'application/json') {
    throw new SecurityError(
      'UNSUPPORTED_MEDIA_TYPE',
      `a signed-in state-changing request must send application/json, not ${type || 'no content type'}`,
    );
  }
}
