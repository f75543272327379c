import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { SignJWT, base64url, calculateJwkThumbprint, exportJWK, exportSPKI, generateKeyPair, importJWK, type CryptoKey, type JSONWebKeySet, type JWTPayload } from 'jose';
import { ManualClock, SkewedClock } from '../clock/index.js';
import { remoteJwks } from './remote-jwks.js';
import { TokenIssuer } from './token-issuer.js';
import { defineTokenPolicy, type TokenPolicy } from './token-policy.js';
import { TokenRejectedError, type TokenRejectionReason } from './token-rejected.error.js';
import { TokenVerifier } from './token-verifier.js';

const ISSUER = 'faultline-orders';
const correct = defineTokenPolicy('test', { issuer: ISSUER, audiences: ['billing'] }, {});
const naive = defineTokenPolicy('test', { issuer: ISSUER, audiences: ['billing'], mode: 'naive' }, { FAULTLINE_WORKSHOP_MODE: 'true' });

/** Asserts that verification fails with `reason` on `claim`, and returns the error for more checks. */
async function rejection(verifying: Promise<unknown>, reason: TokenRejectionReason, claim?: string): Promise<TokenRejectedError> {
  const error = await verifying.then(
    () => assert.fail(`expected the token to be refused with ${reason}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof TokenRejectedError, `expected TokenRejectedError, got ${String(error)}`);
  assert.equal(error.reason, reason, error.message);
  assert.equal(error.claim, claim);
  return error;
}

describe('TokenVerifier', () => {
  // The verifier's clock is the reference; the issuer's clock is the same one, shifted.
  let serverClock: ManualClock;
  let issuerClock: SkewedClock;
  let issuer: TokenIssuer;
  const forBilling = { subject: 'customer-42', audience: 'billing', scopes: ['payments:write'] };

  async function setUp(policy: TokenPolicy): Promise<TokenVerifier> {
    serverClock = new ManualClock(new Date('2026-03-08T07:00:00Z'));
    issuerClock = new SkewedClock(serverClock, 0);
    issuer = await TokenIssuer.create(policy, issuerClock);
    return TokenVerifier.forJwks(policy, issuer.jwks(), serverClock);
  }

  describe('with the correct policy (30 s tolerance, 10 min tokens)', () => {
    let verifier: TokenVerifier;
    beforeEach(async () => {
      verifier = await setUp(correct);
    });

    it('accepts a fresh token and reports its subject, audience, scopes and key', async () => {
      const token = await verifier.verify(await issuer.issue(forBilling));
      assert.equal(token.subject, 'customer-42');
      assert.deepEqual(token.audiences, ['billing']);
      assert.deepEqual(token.scopes, ['payments:write']);
      assert.equal(token.expiresAt.getTime() - token.issuedAt.getTime(), 600_000);
      assert.equal(token.keyId, issuer.jwks().keys[0]?.kid);
    });

    it('accepts a token from an issuer whose clock runs 29 s ahead', async () => {
      issuerClock.setSkew(29_000);
      await verifier.verify(await issuer.issue(forBilling));
    });

    it('refuses a token from an issuer 31 s ahead on nbf, which jose checks before iat, saying how far off the clocks are', async () => {
      issuerClock.setSkew(31_000);
      const error = await rejection(verifier.verify(await issuer.issue(forBilling)), 'not-yet-valid', 'nbf');
      assert.match(error.message, /nbf is 31 s after this server's clock \(tolerance 30 s\) — check clock skew/);
    });

    it('refuses a token without nbf from an issuer 31 s ahead on iat ("issued in the future")', async () => {
      const signer = await ForeignSigner.create();
      const verifying = TokenVerifier.forJwks(correct, signer.jwks, serverClock);
      const now = epoch(serverClock);
      const token = await signer.sign({ iss: ISSUER, aud: 'billing', sub: 'x', iat: now + 31, exp: now + 631 });
      await rejection(verifying.verify(token), 'issued-in-future', 'iat');
    });

    it('lets a token from an issuer 31 s behind live 31 s less by this server, of which the tolerance gives back 30', async () => {
      issuerClock.setSkew(-31_000);
      const token = await issuer.issue(forBilling);
      serverClock.advance(598_000);
      await verifier.verify(token);
      serverClock.advance(1_000);
      const error = await rejection(verifier.verify(token), 'expired', 'exp');
      assert.match(error.message, /exp is 30 s before this server's clock \(tolerance 30 s\)/);
    });

    it('accepts a token expired by less than the tolerance and refuses one expired by more, naming exp', async () => {
      const token = await issuer.issue(forBilling);
      serverClock.advance((600 + 29) * 1_000);
      await verifier.verify(token);
      serverClock.advance(2_000);
      const error = await rejection(verifier.verify(token), 'expired', 'exp');
      assert.match(error.message, /exp is 31 s before this server's clock/);
    });

    it('refuses a token older than maxTokenAge even when its exp says it is still valid', async () => {
      const signer = await ForeignSigner.create();
      const verifying = TokenVerifier.forJwks(correct, signer.jwks, serverClock);
      const now = epoch(serverClock);
      const token = await signer.sign({ iss: ISSUER, aud: 'billing', sub: 'x', iat: now, nbf: now, exp: now + 86_400 });
      serverClock.advance((600 + 31) * 1_000);
      const error = await rejection(verifying.verify(token), 'too-old', 'iat');
      assert.match(error.message, /more than maxTokenAge 600 s/);
    });

    it('refuses a token whose payload was altered after signing', async () => {
      const [header, payload, signature] = (await issuer.issue(forBilling)).split('.');
      const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload ?? ''))) as JWTPayload;
      const forged = base64url.encode(JSON.stringify({ ...claims, sub: 'admin' }));
      await rejection(verifier.verify(`${header}.${forged}.${signature}`), 'signature-invalid', 'signature');
    });

    it('refuses a token for another audience, naming aud', async () => {
      const token = await issuer.issue({ ...forBilling, audience: 'notifications' });
      const error = await rejection(verifier.verify(token), 'wrong-audience', 'aud');
      assert.match(error.message, /"notifications" is not this service/);
    });

    it('refuses a correctly signed token from another issuer, naming iss', async () => {
      const signer = await ForeignSigner.create();
      const trustingBoth = TokenVerifier.forJwks(correct, { keys: [...issuer.jwks().keys, ...signer.jwks.keys] }, serverClock);
      const now = epoch(serverClock);
      const token = await signer.sign({ iss: 'somebody-else', aud: 'billing', sub: 'x', iat: now, exp: now + 600 });
      await rejection(trustingBoth.verify(token), 'wrong-issuer', 'iss');
    });

    it('refuses a token signed with a key the issuer does not publish, naming kid', async () => {
      const stranger = await TokenIssuer.create(correct, issuerClock);
      await rejection(verifier.verify(await stranger.issue(forBilling)), 'unknown-key', 'kid');
    });

    it('refuses a token with no kid instead of trying every key', async () => {
      const signer = await ForeignSigner.create();
      const verifying = TokenVerifier.forJwks(correct, signer.jwks, serverClock);
      const now = epoch(serverClock);
      const token = await signer.sign({ iss: ISSUER, aud: 'billing', sub: 'x', iat: now, exp: now + 600 }, { withoutKid: true });
      await rejection(verifying.verify(token), 'unknown-key', 'kid');
    });

    it('refuses an unsigned token (alg "none")', async () => {
      const now = epoch(serverClock);
      const encode = (value: object) => base64url.encode(JSON.stringify(value));
      const kid = issuer.jwks().keys[0]?.kid;
      const unsigned = `${encode({ alg: 'none', typ: 'JWT', kid })}.${encode({ iss: ISSUER, aud: 'billing', sub: 'admin', iat: now, exp: now + 600 })}.`;
      const error = await rejection(verifier.verify(unsigned), 'unsecured', 'alg');
      assert.equal(error.joseCode, 'ERR_JOSE_ALG_NOT_ALLOWED');
    });

    it('refuses an HS256 token whose secret is the public key (the key-confusion attack)', async () => {
      const publicJwk = issuer.jwks().keys[0];
      assert.ok(publicJwk);
      const publicKey = await importJWK(publicJwk, 'ES256', { extractable: true });
      assert.ok(!(publicKey instanceof Uint8Array));
      const publicPem = await exportSPKI(publicKey);
      const now = epoch(serverClock);
      const forged = await new SignJWT({ scope: 'payments:write' })
        .setProtectedHeader({ alg: 'HS256', kid: publicJwk.kid })
        .setIssuer(ISSUER)
        .setAudience('billing')
        .setSubject('admin')
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(new TextEncoder().encode(publicPem));
      const error = await rejection(verifier.verify(forged), 'algorithm-not-allowed', 'alg');
      assert.match(error.message, /accepts only ES256/);
    });

    it('says the keys are unavailable, not that the token is bad, when the issuer cannot be reached', async () => {
      const unreachable = new TokenVerifier(correct, remoteJwks(new URL('http://127.0.0.1:9/.well-known/jwks.json')), serverClock);
      const error = await rejection(unreachable.verify(await issuer.issue(forBilling)), 'keys-unavailable');
      assert.match(error.message, /could not be fetched: fetch failed/);
    });

    it('refuses a string that is not a JWT at all', async () => {
      await rejection(verifier.verify('not.a-token'), 'malformed');
    });
  });

  describe('key rotation', () => {
    it('keeps verifying tokens of the previous key while it is published, and refuses them once it is dropped', async () => {
      await setUp(correct);
      const oldToken = await issuer.issue(forBilling);
      await issuer.rotateKey();
      const newToken = await issuer.issue(forBilling);
      const afterRotation = TokenVerifier.forJwks(correct, issuer.jwks(), serverClock);
      assert.equal(issuer.jwks().keys.length, 2);
      const [oldKid, newKid] = [(await afterRotation.verify(oldToken)).keyId, (await afterRotation.verify(newToken)).keyId];
      assert.notEqual(oldKid, newKid);

      // The old key's last token dies at lifetime + tolerance; only then does the key leave the JWKS.
      serverClock.advance((600 + 30) * 1_000 - 1);
      assert.equal(issuer.jwks().keys.length, 2);
      serverClock.advance(1);
      assert.deepEqual(issuer.jwks().keys.map((key) => key.kid), [newKid]);
      const afterRetirement = TokenVerifier.forJwks(correct, issuer.jwks(), serverClock);
      await rejection(afterRetirement.verify(oldToken), 'unknown-key', 'kid');
    });
  });

  describe('with the naive policy (workshop pitfall)', () => {
    it('refuses a fresh token from an issuer only 2 s ahead, which the correct policy accepts', async () => {
      const naiveVerifier = await setUp(naive);
      issuerClock.setSkew(2_000);
      const token = await issuer.issue(forBilling);
      await rejection(naiveVerifier.verify(token), 'not-yet-valid', 'nbf');
      const correctVerifier = TokenVerifier.forJwks(correct, issuer.jwks(), serverClock);
      await correctVerifier.verify(token);
    });

    it('accepts a 23 h old token, which the correct policy refuses as too old', async () => {
      const naiveVerifier = await setUp(naive);
      const token = await issuer.issue(forBilling);
      serverClock.advance(23 * 60 * 60 * 1_000);
      await naiveVerifier.verify(token);
      await rejection(TokenVerifier.forJwks(correct, issuer.jwks(), serverClock).verify(token), 'too-old', 'iat');
    });
  });
});

function epoch(clock: ManualClock): number {
  return Math.floor(clock.now().getTime() / 1_000);
}

/** A signer with its own ES256 key, for claims the real issuer never writes (no nbf, forged exp…). */
class ForeignSigner {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly kid: string,
    readonly jwks: JSONWebKeySet,
  ) {}

  static async create(): Promise<ForeignSigner> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    return new ForeignSigner(privateKey, kid, { keys: [{ ...jwk, kid, alg: 'ES256' }] });
  }

  sign(claims: JWTPayload, { withoutKid = false } = {}): Promise<string> {
    return new SignJWT(claims).setProtectedHeader(withoutKid ? { alg: 'ES256' } : { alg: 'ES256', kid: this.kid }).sign(this.privateKey);
  }
}
