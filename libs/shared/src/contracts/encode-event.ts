import { eventContracts } from './event-registry.js';

/**
 * What a producer states for an event it records: the newest schemaVersion of the event's contract,
 * with the payload validated by it before anything is stored. An unregistered type is a programming
 * error, not bad input, so it throws.
 */
export function encodeEvent<Event extends { readonly type: string; readonly payload: object }>(
  event: Event,
): { type: string; schemaVersion: number; payload: Event['payload'] } {
  const contract = eventContracts.get(event.type);
  if (contract === undefined) throw new Error(`no event contract is registered for ${event.type}`);
  const { type, schemaVersion, payload } = contract.encode(event.payload);
  // The contract registered under this type parses to the payload its aggregate records.
  return { type, schemaVersion, payload: payload as Event['payload'] };
}
