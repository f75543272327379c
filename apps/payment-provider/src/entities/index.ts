import { Authorization } from './authorization.entity.js';
import { IdempotentRequest } from './idempotent-request.entity.js';

/** Every table the payment provider simulator maps, listed explicitly (ESM builds have no globs to scan). */
export const entities = [Authorization, IdempotentRequest];
export { Authorization } from './authorization.entity.js';
export { IdempotentRequest, type RequestStatus } from './idempotent-request.entity.js';
