/** class-validator building blocks shared by the configuration requests; the rules come from the domain. */
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsInt,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  type ValidationOptions,
} from 'class-validator';
import {
  RESOURCE_ID_RULE,
  isKnownCurrency,
  isResourceId,
  isValidPartnerCode,
  isValidTimeZone,
} from '@app/domain';
import { Rules, ValueRule } from '../validation/rules';

/** Link codes are a path segment of the tracking URL. */
export const LINK_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const MAX_NAME_LENGTH = 200;

/** Longest lead cookie a partner may have (100 years); null means forever. */
export const MAX_LEAD_COOKIE_DAYS = 36_500;
export const MAX_PROGRAMS_PER_PARTNER = 100;

/** The field may be absent, but not null (IsOptional would let null through). */
export function OptionalNotNull(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

export const IsResourceId = (options?: ValidationOptions): PropertyDecorator =>
  ValueRule('isResourceId', isResourceId, RESOURCE_ID_RULE, options);

export const IsPartnerCode = (): PropertyDecorator =>
  ValueRule(
    'isPartnerCode',
    (v) => typeof v === 'string' && isValidPartnerCode(v),
    'must start with a letter and use only letters, digits, "-" and "_" (at most 64 characters, no spaces)',
  );

export const IsLinkCode = (): PropertyDecorator =>
  ValueRule(
    'isLinkCode',
    (v) => typeof v === 'string' && LINK_CODE.test(v),
    'must be 1 to 64 letters, digits, "-" or "_", starting with a letter or digit',
  );

export const IsHttpUrl = (): PropertyDecorator =>
  ValueRule('isHttpUrl', isHttpUrl, 'must be an absolute http or https URL of at most 2048 characters');

export const IsKnownCurrency = (): PropertyDecorator =>
  ValueRule(
    'isKnownCurrency',
    (v) => typeof v === 'string' && /^[A-Z]{3}$/.test(v) && isKnownCurrency(v),
    'must be a known ISO 4217 currency code such as "USD"',
  );

export const IsTimeZone = (): PropertyDecorator =>
  ValueRule(
    'isTimeZone',
    (v) => typeof v === 'string' && isValidTimeZone(v),
    'must be an IANA time zone such as "UTC"',
  );

export const IsNotBlank = (): PropertyDecorator =>
  ValueRule('isNotBlank', (v) => typeof v === 'string' && v.trim() !== '', 'must not be blank');

/** A partner's email address (sign-up, enrolment, change). */
export const IsPartnerEmail = (): PropertyDecorator => Rules(IsString(), MaxLength(254), IsEmail());

/** A Partner Center password as it is chosen (it is stored hashed). */
export const IsPartnerPassword = (): PropertyDecorator => Rules(IsString(), Length(8, 200));

/** The programs a partner is in, in assigned order: one or more, each once. */
export const IsPartnerProgramIds = (): PropertyDecorator =>
  Rules(
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_PROGRAMS_PER_PARTNER),
    ArrayUnique(),
    IsString({ each: true }),
    Length(1, 128, { each: true }),
  );

/** How long a lead cookie lasts, in days (the null of "forever" is let through by IsOptional). */
export const IsLeadCookieDays = (): PropertyDecorator => Rules(IsInt(), Min(0), Max(MAX_LEAD_COOKIE_DAYS));

/** The display name of a program, partner, link, ad or piece of collateral. */
export const IsName = (): PropertyDecorator => Rules(IsString(), Length(1, MAX_NAME_LENGTH), IsNotBlank());

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * A request DTO as a plain object without its absent fields: class fields exist on every instance (as
 * undefined), but a PATCH must only name what the client sent.
 */
export function definedFields(value: object): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined) continue;
    plain[key] =
      field !== null && typeof field === 'object' && !Array.isArray(field)
        ? definedFields(field as object)
        : field;
  }
  return plain;
}
