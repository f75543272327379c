export { ianaTimeZone, isIanaTimeZone } from './iana-time-zone.js';
export { addDays, businessDateOf, inZone, instantOfLocalTime, nextLocalTime, type BusinessDate, type LocalTimeOfDay } from './local-time.js';
export { businessDayContaining, businessDayWindow, businessDayWindows, windowHours, type BusinessDayWindow } from './business-day.js';
