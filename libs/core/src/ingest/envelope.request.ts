/**
 * An ingest envelope, whose `data` is validated by the class registered for its type (each in its
 * slice's folder); the same for every transport (POST /v1/events, broker messages).
 */
import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsIn, IsObject, IsString, Matches } from 'class-validator';
import { IsInstant } from '../validation/calendar.validation';
import { PaymentCollectedData } from '../attempts/payment-collected/payment-collected.request';
import { PaymentDeclinedData } from '../attempts/payment-declined/payment-declined.request';
import { PurchaseAttemptedData } from '../attempts/purchase-attempted/purchase-attempted.request';
import { RefundIssuedData } from '../attempts/refund-issued/refund-issued.request';
import { ContactOptedInData } from '../tracking/contact-opted-in/contact-opted-in.request';
import { LinkClickedData } from '../tracking/link-clicked/link-clicked.request';
import { CLIENT_EVENT_ID } from './ingest-ids';

export const INGEST_TYPES = [
  'LinkClicked',
  'ContactOptedIn',
  'PurchaseAttempted',
  'PaymentCollected',
  'PaymentDeclined',
  'RefundIssued',
] as const;
export type IngestType = (typeof INGEST_TYPES)[number];

export class EnvelopeRequest {
  @IsString()
  @Matches(CLIENT_EVENT_ID, { message: 'must be 1..200 characters of A-Za-z0-9._:@+=- (no "/")' })
  eventId!: string;

  @IsIn(INGEST_TYPES)
  type!: IngestType;

  @ApiProperty({
    format: 'date-time',
    example: '2026-01-05T09:10:00Z',
    description: 'Business time of the fact',
  })
  @IsInstant()
  occurredAt!: string;

  @ApiProperty({
    description:
      'The fact, by `type`: LinkClickedData, ContactOptedInData, PurchaseAttemptedData, PaymentCollectedData, PaymentDeclinedData or RefundIssuedData',
    anyOf: INGEST_TYPES.map((type) => ({ $ref: `#/components/schemas/${type}Data` })),
  })
  @IsDefined()
  @IsObject()
  data!: Record<string, unknown>;
}

export const DATA_CLASSES = {
  LinkClicked: LinkClickedData,
  ContactOptedIn: ContactOptedInData,
  PurchaseAttempted: PurchaseAttemptedData,
  PaymentCollected: PaymentCollectedData,
  PaymentDeclined: PaymentDeclinedData,
  RefundIssued: RefundIssuedData,
} as const satisfies Record<IngestType, new () => object>;

export type IngestDataOf<T extends IngestType> = InstanceType<(typeof DATA_CLASSES)[T]>;
