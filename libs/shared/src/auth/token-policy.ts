import { z } from 'zod';
import { ConfigurationError, readFaultlineEnvironment, requireWorkshopMode } from '../config/index.js';
import { NAIVE_TOKEN_PRESET } from './naive-token-policy.js';

/**
 * The only signing algorithm Faultline issues and accepts. ES256 (ECDSA P-256) rather than EdDSA:
 * every JOSE library, API gateway and WebCrypto runtime verifies it, and its name is not in flux
 * (RFC 9864 deprecates the polymorphic `EdDSA` in favour of `Ed25519`, which older verifiers reject).
 * Verifiers allow exactly this one value, which is what defeats `alg: none` and the HS256
 * key-confusion attack (article 2).
 */
export const TOKEN_ALGORITHM = 'ES256';

/**
 * How tokens are issued and checked, for one issuer. The numbers, explained once (article 2):
 * - `lifetimeSeconds` 600 (10 min): short enough that a leaked token, or one accepted by a server
 *   whose clock is far behind, is useful for minutes, not a day; long enough that a caller does not
 *   fetch a token per request. The correct mode allows 5–15 min.
 * - `clockToleranceSeconds` 30: the leeway RFC 7519 §4.1.4 allows for "small clock skew". Servers
 *   synchronised by NTP differ by milliseconds; 30 s absorbs a drifting VM or a late NTP sync
 *   without letting a token live noticeably longer. Skew monitoring alerts at half of it.
 * - `maxTokenAgeSeconds` = lifetime: a token whose `exp` was forged far into the future (or issued
 *   by a misconfigured issuer) is still refused once its `iat` is older than one lifetime.
 */
export interface TokenPolicy {
  /** `correct` is the default; `naive` is the article 2 pitfall (naive-token-policy.ts), allowed only in workshop mode. */
  readonly mode: 'correct' | 'naive';
  /** The `iss` value the issuer writes and verifiers require. */
  readonly issuer: string;
  /** The `aud` values a verifier of this policy accepts (a guard may narrow it per route). */
  readonly audiences: readonly string[];
  readonly lifetimeSeconds: number;
  readonly clockToleranceSeconds: number;
  readonly maxTokenAgeSeconds: number;
  readonly algorithm: typeof TOKEN_ALGORITHM;
}

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 10 * 60;
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

/** A mode's default numbers, and what it finds wrong with the numbers a service chose. */
export interface TokenPolicyPreset {
  readonly lifetimeSeconds: number;
  readonly clockToleranceSeconds: number;
  problems(chosen: { lifetimeSeconds: number; clockToleranceSeconds: number }): string[];
}

/** The defaults above; a lifetime of 5–15 min and a tolerance of at most 60 s. */
const CORRECT_PRESET: TokenPolicyPreset = {
  lifetimeSeconds: DEFAULT_TOKEN_LIFETIME_SECONDS,
  clockToleranceSeconds: DEFAULT_CLOCK_TOLERANCE_SECONDS,
  problems: ({ lifetimeSeconds, clockToleranceSeconds }) => [
    ...(lifetimeSeconds < 5 * 60 || lifetimeSeconds > 15 * 60
      ? [`token lifetime ${lifetimeSeconds} s is outside 300–900 s (5–15 min): long-lived tokens outlive clock errors (article 2)`]
      : []),
    ...(clockToleranceSeconds > 60 ? [`clock tolerance ${clockToleranceSeconds} s is above 60 s: fix the clocks (NTP) instead of widening the window`] : []),
  ],
};

const PRESETS: Record<TokenPolicy['mode'], TokenPolicyPreset> = { correct: CORRECT_PRESET, naive: NAIVE_TOKEN_PRESET };

const settingsSchema = z
  .object({
    mode: z.enum(['correct', 'naive']).default('correct'),
    issuer: z.string().min(1, 'name the issuer, e.g. "http://127.0.0.1:3105"'),
    audiences: z.array(z.string().min(1)).min(1, 'list at least one audience this service accepts'),
    lifetimeSeconds: z.int().positive().optional(),
    clockToleranceSeconds: z.int().min(0).optional(),
    maxTokenAgeSeconds: z.int().positive().optional(),
  })
  .strict();

export type TokenPolicySettings = z.input<typeof settingsSchema>;

/**
 * Validates token settings at start-up and fills in the mode's preset: in correct mode the lifetime
 * must be 5–15 min and the tolerance at most 60 s; `maxTokenAge` is never longer than the lifetime.
 * The naive preset (naive-token-policy.ts) is refused unless `FAULTLINE_WORKSHOP_MODE=true`.
 */
export function defineTokenPolicy(
  service: string,
  settings: TokenPolicySettings,
  env: Record<string, string | undefined> = readFaultlineEnvironment(),
): TokenPolicy {
  const parsed = settingsSchema.safeParse(settings);
  if (!parsed.success) {
    throw new ConfigurationError(
      service,
      parsed.error.issues.map((issue) => `token policy ${issue.path.join('.') || '(settings)'}: ${issue.message}`),
    );
  }
  const { mode, issuer, audiences } = parsed.data;
  if (mode === 'naive') {
    requireWorkshopMode(
      service,
      {
        option: 'token policy mode "naive"',
        failure: 'article 2 (clock skew breaking tokens: zero tolerance, 24 h tokens)',
        fix: 'use the default token policy mode "correct"',
      },
      env,
    );
  }
  const preset = PRESETS[mode];
  const lifetimeSeconds = parsed.data.lifetimeSeconds ?? preset.lifetimeSeconds;
  const clockToleranceSeconds = parsed.data.clockToleranceSeconds ?? preset.clockToleranceSeconds;
  const maxTokenAgeSeconds = parsed.data.maxTokenAgeSeconds ?? lifetimeSeconds;

  const problems = preset.problems({ lifetimeSeconds, clockToleranceSeconds });
  if (maxTokenAgeSeconds > lifetimeSeconds) {
    problems.push(`maxTokenAge ${maxTokenAgeSeconds} s exceeds the token lifetime ${lifetimeSeconds} s; it must be no greater`);
  }
  if (problems.length > 0) throw new ConfigurationError(service, problems);

  return {
    mode,
    issuer,
    audiences,
    lifetimeSeconds,
    clockToleranceSeconds,
    maxTokenAgeSeconds,
    algorithm: TOKEN_ALGORITHM,
  };
}
