/** Where `@RequiresToken` leaves its requirement for `BearerTokenGuard` to read. */
export const TOKEN_REQUIREMENT = Symbol.for('faultline.TokenRequirement');

export interface TokenRequirement {
  /**
   * The `aud` this route accepts: the service's own name for service tokens, `faultline-api` for
   * user tokens; a list accepts any one of them.
   */
  audience: string | readonly string[];
  /** Every one of these must appear in the token's `scope`. */
  scopes: readonly string[];
}

/**
 * What the global guard (registered by ServiceDefaultsModule's `auth` option) applies to a route
 * that is neither `@Access.public(...)` nor `@RequiresToken(...)`, and whether it checks at all.
 */
export const TOKEN_GUARD_DEFAULTS = Symbol.for('faultline.TokenGuardDefaults');

export interface TokenGuardDefaults {
  /**
   * `enforce` refuses a request without a valid token; `off` lets every request through (the
   * switch exists while callers are being taught to send tokens; see ADR 0011).
   */
  enforcement: 'enforce' | 'off';
  requirement: TokenRequirement;
}
