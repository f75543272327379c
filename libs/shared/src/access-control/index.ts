export { Access } from './access.decorator.js';
export { ACCESS_DENIED_PROBLEM, AccessRuleGuard } from './access-rule.guard.js';
export {
  ACCESS_EXTENSION,
  ACCESS_RULE,
  OPERATOR_SCOPE,
  describeAccessRule,
  type AccessRule,
  type CustomerLocation,
  type ResourceOwners,
  type ResourceOwnersType,
} from './access-rule.js';
