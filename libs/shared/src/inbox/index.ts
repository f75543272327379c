export { Inbox } from './inbox.js';
export { InboxCheckpoint, type Claim } from './inbox-checkpoint.js';
