export { eventEnvelopeSchema, type EventEnvelope } from './event-envelope.js';
export {
  ORDER_AGGREGATE,
  ORDER_EVENTS_TOPIC,
  ORDER_PLACED,
  orderPlacedV1,
  type OrderPlacedV1,
} from './orders-events.js';
