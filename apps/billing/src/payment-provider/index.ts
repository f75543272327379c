export { HttpPaymentProvider } from './http-payment-provider.js';
// The port billing's payments call, with its requests, answers and refusals: all of it is public.
export * from './payment-provider.js';
export { PAYMENT_PROVIDER_DEPENDENCY, PaymentProviderModule } from './payment-provider.module.js';
export {
  paymentProviderClientSettings,
  paymentProviderEnvironment,
  type PaymentProviderClientSettings,
  type ProviderCalls,
} from './payment-provider-settings.js';
export { ProviderResponseInvalidError, ProviderServerError } from './provider-call-errors.js';
