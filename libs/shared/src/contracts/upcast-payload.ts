import { z } from 'zod';
import { eventContracts } from './event-registry.js';
import { InvalidEventError } from './invalid-event-error.js';

/**
 * Upcasts a payload stored or sent at `schemaVersion` to the newest version of its type, validating
 * each step. Consumers reach it through `decodeEvent`; an event store uses it when it rebuilds an
 * aggregate from events written by older code.
 */
export function upcastPayload(type: string, schemaVersion: number, payload: unknown): { schemaVersion: number; payload: unknown } {
  const contract = eventContracts.get(type);
  if (!contract) throw new InvalidEventError(`unknown event type "${type}" (no contract is registered for it)`);
  if (!contract.versions[schemaVersion - 1]) {
    throw new InvalidEventError(
      `unknown schemaVersion ${schemaVersion} of ${type} (this code knows 1 to ${contract.newestVersion})`,
    );
  }
  let upcast = payload;
  try {
    for (const step of contract.versions.slice(schemaVersion - 1)) {
      upcast = step.upcastToNext ? step.upcastToNext(upcast) : step.schema.parse(upcast);
    }
  } catch (error) {
    const why = error instanceof z.ZodError ? z.prettifyError(error) : String(error);
    throw new InvalidEventError(`the payload of ${type} v${schemaVersion} fails its schema: ${why}`);
  }
  return { schemaVersion: contract.newestVersion, payload: upcast };
}
