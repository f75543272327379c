import { SetMetadata, UseInterceptors, applyDecorators } from '@nestjs/common';
import type { ProviderOperation } from '../authorizations/authorization.js';
import { FaultInjectionInterceptor, SIMULATED_OPERATION } from './fault-injection.interceptor.js';

/**
 * Marks a /v1 handler as one operation of the simulated provider: counted in /admin/stats, and
 * subject to the faults switched on at /admin/faults.
 */
export const SimulatedOperation = (operation: ProviderOperation) =>
  applyDecorators(SetMetadata(SIMULATED_OPERATION, operation), UseInterceptors(FaultInjectionInterceptor));
