/** The checks of the fields every request that records payments carries (one payment, or a batch). */
import { applyDecorators } from '@nestjs/common';
import { IsOptional, IsString, Length } from 'class-validator';
import { IsInstant } from '../validation/calendar.validation';

/** How the merchant paid: "check", "PayPal", ... */
export const IsPaymentType = (): PropertyDecorator => applyDecorators(IsString(), Length(1, 50));

/** When the payment was made; the time of the request when left out. */
export const IsPaidAt = (): PropertyDecorator => applyDecorators(IsOptional(), IsInstant());
