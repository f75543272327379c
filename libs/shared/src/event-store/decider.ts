/** An event as a decider sees it: its type and its payload at the newest schemaVersion. */
export interface DomainEvent<Type extends string = string, Payload = unknown> {
  readonly type: Type;
  readonly payload: Payload;
}

/** What `decide` answers: the events that record the change, or why the command is refused. */
export type Decision<Event extends DomainEvent, Rejection> =
  | { readonly accepted: true; readonly events: readonly Event[] }
  | { readonly accepted: false; readonly rejection: Rejection };

/**
 * An aggregate as three pure pieces (the decider pattern): no I/O, no clock, so every rule is a unit
 * test. `evolve` takes any `DomainEvent` — it narrows by type — so it can fold events read back from
 * the store as well as the ones `decide` just returned.
 */
export interface Decider<Command, Event extends DomainEvent, State, Rejection> {
  readonly initialState: State;
  readonly decide: (command: Command, state: State) => Decision<Event, Rejection>;
  readonly evolve: (state: State, event: DomainEvent) => State;
}
