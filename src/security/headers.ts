/**
 * Security headers sent with every answer, computed once: a strict Content-Security-Policy
 * for the dashboard (scripts, styles, images, fonts and connections from its own origin only;
 * no inline script or style, no plugins, no framing), no MIME sniffing, no referrer, isolated
 * browsing context, and HSTS under TLS. Values follow the OWASP Secure Headers Project.
 */

/** The Content-Security-Policy value. */
export function contentSecurityPolicy(tls: boolean): string {
  const directives = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(tls ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/**
 * Header name → value for every answer.
 * @param tls whether the server speaks HTTPS (adds HSTS and upgrade-insecure-requests)
 */
export function securityHeaders(tls: boolean): Readonly<Record<string, string>> {
  return {
    'content-security-policy': contentSecurityPolicy(tls),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'x-dns-prefetch-control': 'off',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
    ...(tls ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}
