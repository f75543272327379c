export { ianaTimeZone, isIanaTimeZone } from './iana-time-zone.js';
