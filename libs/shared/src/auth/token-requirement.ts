/** Where `@RequiresToken` leaves its requirement for `BearerTokenGuard` to read. */
export const TOKEN_REQUIREMENT = Symbol.for('faultline.TokenRequirement');

export interface TokenRequirement {
  /** The `aud` this route accepts: the service's own name, for user and service tokens alike. */
  audience: string;
  /** Every one of these must appear in the token's `scope`. */
  scopes: readonly string[];
}
