import type { Benchmark } from './benchmark.js';
import { commandPath } from './command-path.bench.js';
import { consoleResponsiveness } from './console-responsiveness.bench.js';
import { deliveryLatency } from './delivery-latency.bench.js';
import { eventStoreAppend } from './event-store-append.bench.js';
import { outboxRelay } from './outbox-relay.bench.js';
import { relayScaling } from './relay-scaling.bench.js';
import { sagaVsTemporal } from './saga.bench.js';
import { tracingOverhead } from './tracing-overhead.bench.js';

/** Every benchmark, in the order a run takes them (cheapest first). */
export const BENCHMARKS: readonly Benchmark[] = [eventStoreAppend, outboxRelay, relayScaling, commandPath, tracingOverhead, deliveryLatency, consoleResponsiveness, sagaVsTemporal];
