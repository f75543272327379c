export { Access } from './access.decorator.js';
export { ACCESS_DENIED_PROBLEM, AccessRuleGuard } from './access-rule.guard.js';
export * from './access-rule.js';
