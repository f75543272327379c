export { CLOCK, ManualClock, SkewedClock, SystemClock, type Clock } from './clock.js';
