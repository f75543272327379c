import { EventPattern } from '@nestjs/microservices';
import type { DecodedEvent, EventContract, EventEnvelope } from '../contracts/index.js';
import type { ConsumedEventContext } from './consumed-event-context.js';

/** The method `@HandlesEvent(contract)` decorates: it receives the event typed by that contract. */
type ContractHandler<Payload> = (event: EventEnvelope<Payload>, context: ConsumedEventContext) => Promise<void>;

/**
 * Makes a method the consumer's handler for one event type: registers Nest's `@EventPattern` for
 * `contract.type` (the transport looks handlers up by the event's type) and hands the method the
 * event with its payload typed by the contract, the newest schemaVersion, as `decodeEvent` upcast it.
 *
 * The event's type is checked against the contract before the method runs: a handler registered
 * for one type and called with another would read a payload of the wrong shape, so it throws
 * instead, and the transaction the event was applied in does not commit.
 */
export function HandlesEvent<Payload>(contract: EventContract<Payload>) {
  return <Method extends ContractHandler<Payload>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<Method>,
  ): TypedPropertyDescriptor<Method> => {
    const handle = descriptor.value;
    if (handle === undefined) throw new Error(`@HandlesEvent(${contract.type}) decorates a method, not ${String(key)}`);
    const checked = async function (this: unknown, event: DecodedEvent, context: ConsumedEventContext): Promise<void> {
      if (!contract.matches(event)) throw new Error(`${event.type} routed to the ${contract.type} handler`);
      return handle.call(this, event, context);
    };
    descriptor.value = checked as Method;
    // `<string>` picks EventPattern's untyped overload: the typed one wants every argument after the payload to be `unknown`.
    EventPattern<string>(contract.type)(target, key, descriptor);
    return descriptor;
  };
}
