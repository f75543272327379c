export { HttpPaymentProvider } from './http-payment-provider.js';
export {
  PAYMENT_PROVIDER,
  PaymentDeclinedError,
  ProviderConflictError,
  type AuthorizeRequest,
  type PaymentProvider,
  type ProviderAuthorization,
  type ProviderRequestRecord,
} from './payment-provider.js';
export { PAYMENT_PROVIDER_DEPENDENCY, PaymentProviderModule } from './payment-provider.module.js';
export {
  paymentProviderClientSettings,
  paymentProviderEnvironment,
  type PaymentProviderClientSettings,
  type ProviderCalls,
} from './payment-provider-settings.js';
export { ProviderResponseInvalidError, ProviderServerError } from './provider-call-errors.js';
