export { decodeEvent, type DecodedEvent } from './decode-event.js';
export { EventContract, type EventSchemaVersion } from './event-contract.js';
export { eventEnvelopeSchema, type EventEnvelope } from './event-envelope.js';
export { eventContracts } from './event-registry.js';
export { InvalidEventError } from './invalid-event-error.js';
export { upcastPayload } from './upcast-payload.js';
export {
  ORDER_AGGREGATE,
  ORDER_CANCELLED,
  ORDER_EVENTS_TOPIC,
  ORDER_PLACED,
  orderCancelled,
  orderCancelledV1,
  orderPlaced,
  orderPlacedV1,
  orderPlacedV2,
  type OrderCancelled,
  type OrderCancelledV1,
  type OrderPlaced,
  type OrderPlacedV1,
  type OrderPlacedV2,
} from './orders-events.js';
