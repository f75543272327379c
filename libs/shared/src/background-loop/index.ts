export { BackgroundLoop, pauseUnlessStopped, retryPauseMs } from './background-loop.js';
