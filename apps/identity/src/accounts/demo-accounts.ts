/**
 * The demo's customers, with fixed ids so a demo or a workshop can name them. Their passwords are
 * published here on purpose: they exist for `npm run demo` and the workshop on a local sandbox, and
 * are seeded only while IDENTITY_DEMO_ACCOUNTS is true (the default in infra/faultline.env).
 */
export const DEMO_ACCOUNTS = [
  { customerId: 'a11ce000-0000-4000-8000-000000000001', email: 'alice@example.com', password: 'alice-demo-password' },
  { customerId: 'b0b00000-0000-4000-8000-000000000002', email: 'bob@example.com', password: 'bob-demo-password' },
] as const;
