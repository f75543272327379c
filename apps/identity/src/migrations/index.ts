import { CreateAccountsOidcStateAndSigningKeys1765100000000 } from './1765100000000-create-accounts-oidc-state-and-signing-keys.js';

/** The identity provider's migrations, oldest first. Only these run against its database. */
export const migrations = [CreateAccountsOidcStateAndSigningKeys1765100000000];
