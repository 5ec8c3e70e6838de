/**
 * API keys and session tokens: high-entropy random strings whose SHA-256 digest is all the
 * store keeps. A key looks like `vgl_<8 hex prefix>_<43 base64url chars>` (256 random bits);
 * the prefix finds the row, the digest is compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** SHA-256 of a string. */
export function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** A new API key: the secret string (shown once), its lookup prefix and digest. */
export function newApiKey(): { token: string; prefix: string; hash: Buffer } {
  const prefix = `vgl_${randomBytes(4).toString('hex')}`;
  const token = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { token, prefix, hash: sha256(token) };
}

const KEY_SHAPE = /^(vgl_[0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;

/** The lookup prefix of a string shaped like an API key, or null. */
export function keyPrefix(token: string): string | null {
  return KEY_SHAPE.exec(token)?.[1] ?? null;
}

/** Constant-time comparison of a presented key with a stored digest. */
export function keyMatches(token: string, hash: Buffer): boolean {
  const digest = sha256(token);
  return digest.length === hash.length && timingSafeEqual(digest, hash);
}

/** A new session token (256 random bits) and its stored id (SHA-256, hex). */
export function newSessionToken(): { token: string; idHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, idHash: sessionIdHash(token) };
}

/** The stored id of a session token. */
export function sessionIdHash(token: string): string {
  return sha256(token).toString('hex');
}

/** A random id of 16 hex digits. */
export function randomId(): string {
  return randomBytes(8).toString('hex');
}
