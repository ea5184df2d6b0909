import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from '../../lib/runtime/webhook/signature';

const secret = "It's a Secret to Everybody";
const body = Buffer.from('Hello, World!');

describe('verifySignature', () => {
  it("accepts GitHub's documented example signature", () => {
    // From GitHub Docs, "Validating webhook deliveries".
    const header = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(verifySignature(secret, body, header)).toEqual({ ok: true });
  });

  it('accepts upper-case hex digits', () => {
    const digest = signatureHeader(secret, body).slice('sha256='.length);
    expect(verifySignature(secret, body, `sha256=${digest.toUpperCase()}`)).toEqual({ ok: true });
  });

  it('signs what it verifies', () => {
    const expected = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    expect(signatureHeader(secret, body)).toBe(expected);
  });

  it.each([
    ['no header', undefined, 'missing'],
    ['an empty header', '', 'missing'],
    ['a sha1 signature', 'sha1=0a4d55a8d778e5022fab701977c5d840bbc486d0', 'malformed'],
    ['no algorithm prefix', '757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17', 'malformed'],
    ['a short digest', 'sha256=757107ea', 'malformed'],
    ['non-hex digits', `sha256=${'z'.repeat(64)}`, 'malformed'],
    ['the signature of another body', signatureHeader(secret, 'Hello, World?'), 'mismatch'],
    ['a signature made with another secret', signatureHeader('guess', body), 'mismatch'],
  ])('refuses %s', (_case, header, reason) => {
    expect(verifySignature(secret, body, header)).toEqual({ ok: false, reason });
  });
});
