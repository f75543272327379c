export { DEAD_LETTER_HEADERS, DeadLetterPublisher, type DeadLetterReason } from './dead-letter-publisher.js';
export { DeadLetterLedger, type DeadLetter, type DeadLetterFilter, type DeadLetterResolution } from './dead-letter-ledger.js';
export { DEFAULT_DEAD_LETTER_CARE, DeadLetterMonitor, type DeadLetterCare } from './dead-letter-monitor.js';
export { BusinessRuleViolation, classifyFailure, type ClassifiedFailure, type FailureClass } from './failure-classification.js';
export { DEFAULT_FAILURE_POLICY, backoffDelayMs, validFailurePolicy, type FailurePolicy } from './failure-policy.js';
export { RETRY_HEADERS, RetryTopics, originOf } from './retry-topics.js';
export { RetryingRecordProcessor } from './retrying-record-processor.js';
