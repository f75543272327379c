export { estimateOffset, offsetOf, type ClockExchange, type OffsetEstimate } from './offset-estimate.js';
export {
  DEFAULT_PEER_CLOCK_PROBE_SETTINGS,
  PeerClockProbe,
  PeerClockUnreachableError,
  type PeerClockProbeSettings,
} from './peer-clock-probe.js';
export { CLOCK_SKEW_METRIC, clockSkewGauge } from './clock-skew-gauge.js';
export { PeerSkewMonitor } from './peer-skew-monitor.js';
export { PEER_TIME_PATH, peerTimeResponseSchema, type PeerTimeResponse } from './peer-time.js';
export { skewWithin, type PeerSkew, type SkewReadiness } from './skew-readiness.js';
export { TimeController } from './time.controller.js';
export { ClockAdminController } from './clock-admin.controller.js';
export { PeerSkewSchedule } from './peer-skew-schedule.js';
export {
  DEFAULT_PEER_PROBE_INTERVAL_MS,
  clockSkewMs,
  resolveServiceClock,
  type ServiceClockOptions,
} from './service-clock.js';
