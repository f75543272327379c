/** The four activities of the saga's happy path, doing nothing: no HTTP, no database, no clock. */
export interface BareFulfilmentActivities {
  authorizePayment(idempotencyKey: string): Promise<{ paymentId: string }>;
  confirmOrder(orderId: string): Promise<void>;
  capturePayment(idempotencyKey: string): Promise<{ paymentId: string }>;
  markOrderPaid(orderId: string): Promise<void>;
}

export const bareFulfilmentActivities: BareFulfilmentActivities = {
  authorizePayment: (idempotencyKey) => Promise.resolve({ paymentId: idempotencyKey }),
  confirmOrder: () => Promise.resolve(),
  capturePayment: (idempotencyKey) => Promise.resolve({ paymentId: idempotencyKey }),
  markOrderPaid: () => Promise.resolve(),
};
