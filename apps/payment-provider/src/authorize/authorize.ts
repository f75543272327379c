import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { cardDeclined } from '../authorizations/authorization-problems.js';
import { toAuthorizationView, type AuthorizeRequest } from '../authorizations/authorization.schema.js';
import { Authorization } from '../entities/index.js';
import { RequestLedger, type LedgerAnswer } from '../idempotent-requests/request-ledger.js';
import { ProviderStats } from '../stats/provider-stats.js';

/** Holds an amount on the customer's card: a new authorization, or the stored answer for a known key. */
@Injectable()
export class Authorize {
  constructor(
    private readonly ledger: RequestLedger,
    private readonly stats: ProviderStats,
  ) {}

  execute(request: AuthorizeRequest, idempotencyKey: string | undefined, declined: boolean): Promise<LedgerAnswer> {
    return this.ledger.execute({ idempotencyKey, operation: 'authorize', parameters: request }, async (transaction, now) => {
      if (declined) {
        this.stats.faultApplied('decline');
        return { status: 402, body: cardDeclined() };
      }
      const authorization = Object.assign(new Authorization(), {
        // Time-ordered, so a listing by id is also by age.
        id: `auth_${uuidv7().replaceAll('-', '')}`,
        status: 'authorized',
        ...request,
        createdAt: now,
        updatedAt: now,
      } satisfies Authorization);
      await transaction.getRepository(Authorization).insert(authorization);
      return { status: 201, body: toAuthorizationView(authorization) };
    });
  }
}
