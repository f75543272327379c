export { CHROMIUM, launchChromium } from './chromium.js';
