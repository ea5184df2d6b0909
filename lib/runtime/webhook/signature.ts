// GitHub signs each delivery: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>` with
// the webhook's secret. The body must be checked byte for byte as received, before any parsing.

import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'missing' | 'malformed' | 'mismatch' };

const headerFormat = /^sha256=([0-9a-fA-F]{64})$/;

export function verifySignature(secret: string, body: Buffer, header: string | undefined): SignatureCheck {
  if (header === undefined || header === '') return { ok: false, reason: 'missing' };
  const match = headerFormat.exec(header.trim());
  if (!match) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(match[1]!, 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  // Both are 32 bytes here (the format check guarantees it); timingSafeEqual needs equal lengths.
  return given.length === expected.length && timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** The header value GitHub would send for this body (tests and local tools sign with it). */
export function signatureHeader(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
