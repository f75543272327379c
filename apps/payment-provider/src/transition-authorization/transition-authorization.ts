import { Injectable } from '@nestjs/common';
import { nextStatus, type AuthorizationTransition } from '../authorizations/authorization.js';
import { authorizationNotFound, authorizationStateConflict } from '../authorizations/authorization-problems.js';
import { toAuthorizationView } from '../authorizations/authorization.schema.js';
import { Authorization } from '../entities/index.js';
import { RequestLedger, type LedgerAnswer } from '../idempotent-requests/request-ledger.js';

/** Captures, voids or refunds an authorization, once per key; a move its status does not allow is a 409. */
@Injectable()
export class TransitionAuthorization {
  constructor(private readonly ledger: RequestLedger) {}

  execute(authorizationId: string, transition: AuthorizationTransition, idempotencyKey: string | undefined): Promise<LedgerAnswer> {
    const request = { idempotencyKey, operation: transition, parameters: { authorizationId } };
    return this.ledger.execute(request, async (transaction, updatedAt) => {
      const authorizations = transaction.getRepository(Authorization);
      // Locked until commit: two different keys capturing and voiding at once cannot both succeed.
      const authorization = await authorizations.findOne({ where: { id: authorizationId }, lock: { mode: 'pessimistic_write' } });
      if (!authorization) return { status: 404, body: authorizationNotFound(authorizationId) };
      const status = nextStatus(authorization.status, transition);
      if (!status) return { status: 409, body: authorizationStateConflict(authorizationId, authorization.status, transition) };
      await authorizations.update({ id: authorizationId }, { status, updatedAt });
      return { status: 200, body: toAuthorizationView(Object.assign(authorization, { status, updatedAt })) };
    });
  }
}
