export { BackgroundLoop, pauseUnlessStopped } from './background-loop.js';
