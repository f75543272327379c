// What other projects (tests, scenarios, the demo) use to get real tokens from the identity
// provider: `import { signUp, userToken, serviceToken } from '@faultline/identity/testing'`.
export { DEMO_ACCOUNTS } from '../accounts/demo-accounts.js';
export { CLI_CLIENT_ID, CLI_REDIRECT_URI, CONSOLE_CLIENT_ID, CONSOLE_REDIRECT_URI, OPERATOR_CLIENT_ID, ORDERS_CLIENT_ID } from '../oidc/clients.js';
export { RESOURCE_SERVERS, resourceIndicator } from '../oidc/resource-servers.js';
export {
  IdentityRequestError,
  LoginRefusedError,
  discover,
  serviceToken,
  signUp,
  userToken,
  type Credentials,
  type ServiceTokenRequest,
  type SignedUpCustomer,
  type UserTokenOptions,
} from './identity-client.js';
export { startIdentity, type StartIdentityOptions } from './identity-under-test.js';
