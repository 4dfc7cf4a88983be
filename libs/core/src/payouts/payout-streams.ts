/** Stream names of payouts. */
export const paymentStream = (paymentId: string): string => `payment-${paymentId}`;
export const adjustmentStream = (adjustmentId: string): string => `adjustment-${adjustmentId}`;
export const batchStream = (batchId: string): string => `payout-batch-${batchId}`;
