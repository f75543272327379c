export { startTimeSkippingEnvironment } from './time-skipping-environment.js';
