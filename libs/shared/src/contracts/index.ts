export { decodeEvent, type DecodedEvent } from './decode-event.js';
export { EventContract, type EventSchemaVersion } from './event-contract.js';
export { MAX_STORED_INTEGER, eventEnvelopeSchema, type EventEnvelope } from './event-envelope.js';
export { eventContracts } from './event-registry.js';
export { InvalidEventError } from './invalid-event-error.js';
export { upcastPayload } from './upcast-payload.js';
export { findUnstorableText, unstorableTextProblem, type UnstorableText } from './storable-text.js';
export {
  ORDER_AGGREGATE,
  ORDER_CANCELLED,
  ORDER_CONFIRMED,
  ORDER_EVENTS_TOPIC,
  ORDER_PAID,
  ORDER_PLACED,
  ORDER_REFUNDED,
  ORDER_REJECTED,
  orderCancelled,
  orderCancelledV1,
  orderConfirmed,
  orderConfirmedV1,
  orderPaid,
  orderPaidV1,
  orderPlaced,
  orderPlacedV1,
  orderPlacedV2,
  orderRefunded,
  orderRefundedV1,
  orderRejected,
  orderRejectedV1,
  type OrderCancelled,
  type OrderCancelledV1,
  type OrderConfirmed,
  type OrderConfirmedV1,
  type OrderPaid,
  type OrderPaidV1,
  type OrderPlaced,
  type OrderPlacedV1,
  type OrderPlacedV2,
  type OrderRefunded,
  type OrderRefundedV1,
  type OrderRejected,
  type OrderRejectedV1,
} from './orders-events.js';
