export { ToxiproxyLink, type ToxiproxyLinkOptions } from './toxiproxy-link.js';
