import { CreateAuthorizationsAndRequests1764950000000 } from './1764950000000-create-authorizations-and-requests.js';

/** The payment provider simulator's migrations, oldest first. Only these run against its database. */
export const migrations = [CreateAuthorizationsAndRequests1764950000000];
