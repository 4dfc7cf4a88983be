// Referral partner defaults (domain.md section 3) and the validated way to change them.
import { DomainRuleViolation } from '../errors/domain-rule-violation';
import type { FieldError, Validated } from '../errors/field-error';
import { isPlainObject, joinPath } from '../errors/field-error';
import { isResourceId } from '../ids/resource-id';
import { isKnownCurrency } from '../money/currencies';
import { isValidTimeZone } from '../time/business-calendar';

export const ATTRIBUTION_RULES = ['first', 'last'] as const;
export type AttributionRule = (typeof ATTRIBUTION_RULES)[number];

export const TRACKING_METHODS = ['cookies-only', 'history-and-cookies'] as const;
export type TrackingMethod = (typeof TRACKING_METHODS)[number];

export const PARTNER_LEVELS = [1, 2, 3] as const;
export type PartnerLevels = (typeof PARTNER_LEVELS)[number];

export type PayoutRoles = { sale: boolean; lead: boolean };
export type PayoutSchedule = { cutoffDay: number; minimumBalance: number };
/** Partner Center sign-up: open or not, approved at once or by an admin, and the programs it assigns. */
export type SignupSettings = { enabled: boolean; autoApprove: boolean; programIds: string[] };

export type Settings = {
  codePrefix: string;
  skipNotifications: boolean;
  attribution: AttributionRule;
  trackingMethod: TrackingMethod;
  useIpAddress: boolean;
  ipMatchDays: number;
  levels: PartnerLevels;
  payout: PayoutRoles;
  payIfUnused: boolean;
  blockSelfReferrals: boolean;
  currency: string;
  timezone: string;
  payoutSchedule: PayoutSchedule;
  signup: SignupSettings;
};

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  codePrefix: '',
  skipNotifications: false,
  attribution: 'last',
  trackingMethod: 'cookies-only',
  useIpAddress: false,
  ipMatchDays: 30,
  levels: 2,
  payout: Object.freeze({ sale: true, lead: false }),
  payIfUnused: false,
  blockSelfReferrals: true,
  currency: 'USD',
  timezone: 'UTC',
  payoutSchedule: Object.freeze({ cutoffDay: 15, minimumBalance: 0 }),
  signup: Object.freeze({ enabled: false, autoApprove: false, programIds: [] as string[] }),
});

type NestedKey = 'payout' | 'payoutSchedule' | 'signup';
const NESTED_KEYS: readonly NestedKey[] = ['payout', 'payoutSchedule', 'signup'];

/** A fresh, mutable copy of the defaults. */
export function defaultSettings(): Settings {
  return normalizeSettings({});
}

/**
 * Settings as stored by an older version (a SettingsChanged event recorded before a setting existed)
 * completed with the defaults of the settings added since; a fresh copy, safe to change.
 */
export function normalizeSettings(stored: Partial<Settings>): Settings {
  return {
    ...DEFAULT_SETTINGS,
    ...stored,
    payout: { ...DEFAULT_SETTINGS.payout, ...stored.payout },
    payoutSchedule: { ...DEFAULT_SETTINGS.payoutSchedule, ...stored.payoutSchedule },
    signup: {
      ...DEFAULT_SETTINGS.signup,
      ...stored.signup,
      programIds: [...(stored.signup?.programIds ?? DEFAULT_SETTINGS.signup.programIds)],
    },
  };
}

/** The settings a commission records as "what applied" to it. */
export type SettingsApplied = Pick<
  Settings,
  'attribution' | 'trackingMethod' | 'levels' | 'payIfUnused' | 'blockSelfReferrals' | 'payout'
>;

export function settingsApplied(settings: Settings): SettingsApplied {
  return {
    attribution: settings.attribution,
    trackingMethod: settings.trackingMethod,
    levels: settings.levels,
    payIfUnused: settings.payIfUnused,
    blockSelfReferrals: settings.blockSelfReferrals,
    payout: { ...settings.payout },
  };
}

export type SettingsPatchResult = { settings: Settings; changedKeys: string[] };

// Partner codes are URL path segments, and the prefix is glued in front of them.
const CODE_PREFIX = /^[A-Za-z0-9_-]{0,32}$/;

type Check = (value: unknown) => string | null;

const bool: Check = (value) => (typeof value === 'boolean' ? null : 'must be a boolean');
const oneOf =
  (values: readonly unknown[]): Check =>
  (value) =>
    values.includes(value) ? null : `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
const intIn =
  (min: number, max: number): Check =>
  (value) =>
    Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max
      ? null
      : `must be an integer from ${min} to ${max}`;

const MAX_SIGNUP_PROGRAMS = 100;
const programIdList: Check = (value) =>
  Array.isArray(value) &&
  value.length <= MAX_SIGNUP_PROGRAMS &&
  value.every(isResourceId) &&
  new Set(value).size === value.length
    ? null
    : `must be a list of at most ${MAX_SIGNUP_PROGRAMS} distinct program ids`;

const TOP_LEVEL_CHECKS: Record<Exclude<keyof Settings, NestedKey>, Check> = {
  codePrefix: (value) =>
    typeof value === 'string' && CODE_PREFIX.test(value)
      ? null
      : 'must be at most 32 letters, digits, "-" or "_"',
  skipNotifications: bool,
  attribution: oneOf(ATTRIBUTION_RULES),
  trackingMethod: oneOf(TRACKING_METHODS),
  useIpAddress: bool,
  ipMatchDays: intIn(1, 365),
  levels: oneOf(PARTNER_LEVELS),
  payIfUnused: bool,
  blockSelfReferrals: bool,
  currency: (value) =>
    typeof value === 'string' && /^[A-Z]{3}$/.test(value) && isKnownCurrency(value)
      ? null
      : 'must be a known ISO 4217 currency code such as "USD"',
  timezone: (value) =>
    typeof value === 'string' && isValidTimeZone(value) ? null : 'must be an IANA time zone such as "UTC"',
};

const NESTED_CHECKS = {
  payout: { sale: bool, lead: bool },
  payoutSchedule: { cutoffDay: intIn(1, 28), minimumBalance: intIn(0, Number.MAX_SAFE_INTEGER) },
  signup: { enabled: bool, autoApprove: bool, programIds: programIdList },
} satisfies Record<NestedKey, Record<string, Check>>;

/**
 * Applies a PATCH body (any subset of the settings; `payout`, `payoutSchedule` and `signup` may be
 * partial) to the current settings. Unknown keys are errors; nothing is applied unless everything is
 * valid. `changedKeys` lists the dotted paths whose value actually changed (empty for a no-op patch).
 * Open sign-up needs at least one program to assign (whether the programs exist is the caller's check).
 */
export function applySettingsPatch(current: Settings, patch: unknown): Validated<SettingsPatchResult> {
  if (!isPlainObject(patch)) return { ok: false, errors: [{ path: '', message: 'must be an object' }] };
  const errors: FieldError[] = [];
  const next = normalizeSettings(current);
  const changedKeys: string[] = [];
  const assign = (target: Record<string, unknown>, key: string, path: string, value: unknown) => {
    if (JSON.stringify(target[key]) !== JSON.stringify(value)) changedKeys.push(path);
    target[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
  };

  for (const [key, value] of Object.entries(patch)) {
    if (isNestedKey(key)) {
      const checks: Record<string, Check> = NESTED_CHECKS[key];
      if (!isPlainObject(value)) {
        errors.push({ path: key, message: 'must be an object' });
        continue;
      }
      for (const [innerKey, innerValue] of Object.entries(value)) {
        const path = joinPath(key, innerKey);
        const check = hasOwn(checks, innerKey) ? checks[innerKey] : undefined;
        const message = check ? check(innerValue) : 'is not a known setting';
        if (message !== null) errors.push({ path, message });
        else assign(next[key], innerKey, path, innerValue);
      }
      continue;
    }
    const check = isTopLevelKey(key) ? TOP_LEVEL_CHECKS[key] : undefined;
    const message = check ? check(value) : 'is not a known setting';
    if (message !== null) errors.push({ path: key, message });
    else assign(next, key, key, value);
  }

  if (errors.length === 0 && next.signup.enabled && next.signup.programIds.length === 0) {
    errors.push({
      path: 'signup.programIds',
      message: 'must name at least one program while sign-up is enabled',
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { settings: next, changedKeys } };
}

/**
 * Amounts are stored as minor units of the settlement currency, without a currency of their own
 * (adjustments, ledger entries, reports). Once an attempt, a payment or an adjustment exists, another
 * currency would relabel every one of them, so it is refused; naming the current one is no change.
 */
export function assertCurrencyChangeAllowed(current: Settings, next: Settings, moneyRecorded: boolean): void {
  if (next.currency === current.currency || !moneyRecorded) return;
  throw new DomainRuleViolation(
    'currency-locked',
    `the settlement currency is ${current.currency} and money is recorded in it: it can no longer change`,
    'currency',
  );
}

function isNestedKey(key: string): key is NestedKey {
  return (NESTED_KEYS as readonly string[]).includes(key);
}

function isTopLevelKey(key: string): key is keyof typeof TOP_LEVEL_CHECKS {
  return hasOwn(TOP_LEVEL_CHECKS, key);
}

// `in` or plain indexing would find Object.prototype members such as `toString`.
function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}
