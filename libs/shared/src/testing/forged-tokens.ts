import { SignJWT, base64url, decodeJwt, decodeProtectedHeader, exportSPKI, importJWK, type JWK } from 'jose';
import { TokenIssuer, USER_TOKEN_AUDIENCE, defineTokenPolicy } from '../auth/index.js';
import { SystemClock } from '../clock/index.js';

/** The attacks a verifier must refuse (article 2), each derived from one genuine token. */
export interface ForgedTokens {
  /** The payload changed after signing (`sub` → admin), signature kept. */
  tampered: string;
  /** `alg: none`, no signature, the genuine claims and kid. */
  algNone: string;
  /** HS256 with the issuer's PUBLIC key as the secret: the key-confusion attack. */
  hs256WithPublicKey: string;
  /** Well-formed and correctly signed, but by a key the issuer never published. */
  unknownKid: string;
}

/**
 * Forges the four attacks from `genuine` and the issuer's published key `publishedKey` (an entry of
 * its JWKS), the way an attacker who holds one token and the public JWKS would.
 */
export async function forgeTokens(genuine: string, publishedKey: JWK): Promise<ForgedTokens> {
  const [header = '', payload = '', signature = ''] = genuine.split('.');
  const claims = decodeJwt(genuine);
  const encode = (value: object) => base64url.encode(JSON.stringify(value));
  const { kid } = decodeProtectedHeader(genuine);

  const publicKey = await importJWK(publicKeyOnly(publishedKey), 'ES256', { extractable: true });
  if (publicKey instanceof Uint8Array) throw new TypeError('forgeTokens: the published key must be an EC public key');
  const hs256WithPublicKey = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' })
    .sign(new TextEncoder().encode(await exportSPKI(publicKey)));

  const stranger = await TokenIssuer.create(
    defineTokenPolicy('forger', { issuer: claims.iss ?? 'https://forger.example', audiences: [USER_TOKEN_AUDIENCE] }, {}),
    new SystemClock(),
  );
  const audience = Array.isArray(claims.aud) ? (claims.aud[0] ?? USER_TOKEN_AUDIENCE) : (claims.aud ?? USER_TOKEN_AUDIENCE);
  return {
    tampered: `${header}.${encode({ ...claims, sub: 'admin' })}.${signature}`,
    algNone: `${encode({ alg: 'none', typ: 'JWT', kid })}.${payload}.`,
    hs256WithPublicKey,
    unknownKid: await stranger.issue({ subject: claims.sub ?? 'admin', audience }),
  };
}

function publicKeyOnly({ kty, crv, x, y }: JWK): JWK {
  return { kty, crv, x, y };
}
