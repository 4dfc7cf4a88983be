/** The registry: every ingest type's slice, by type. */
import { paymentCollectedSlice } from '../attempts/payment-collected/payment-collected.slice';
import { paymentDeclinedSlice } from '../attempts/payment-declined/payment-declined.slice';
import { purchaseAttemptedSlice } from '../attempts/purchase-attempted/purchase-attempted.slice';
import { refundIssuedSlice } from '../attempts/refund-issued/refund-issued.slice';
import { contactOptedInSlice } from '../tracking/contact-opted-in/contact-opted-in.slice';
import { linkClickedSlice } from '../tracking/link-clicked/link-clicked.slice';
import type { IngestType } from './envelope.request';
import type { IngestSlice } from './ingest-slice';

export const INGEST_SLICES: { readonly [T in IngestType]: IngestSlice<T> } = {
  LinkClicked: linkClickedSlice,
  ContactOptedIn: contactOptedInSlice,
  PurchaseAttempted: purchaseAttemptedSlice,
  PaymentCollected: paymentCollectedSlice,
  PaymentDeclined: paymentDeclinedSlice,
  RefundIssued: refundIssuedSlice,
};

export function sliceOf<T extends IngestType>(type: T): IngestSlice<T> {
  return INGEST_SLICES[type];
}
