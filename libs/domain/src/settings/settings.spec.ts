import type { FieldError } from '../errors/field-error';
import {
  applySettingsPatch,
  assertCurrencyChangeAllowed,
  DEFAULT_SETTINGS,
  normalizeSettings,
  settingsApplied,
} from './settings';

function errorsOf(patch: unknown): FieldError[] {
  const result = applySettingsPatch(DEFAULT_SETTINGS, patch);
  if (result.ok) throw new Error(`expected errors for ${JSON.stringify(patch)}`);
  return result.errors;
}

describe('DEFAULT_SETTINGS', () => {
  it('are the referral partner defaults of domain.md section 3', () => {
    expect(DEFAULT_SETTINGS).toEqual({
      codePrefix: '',
      skipNotifications: false,
      attribution: 'last',
      trackingMethod: 'cookies-only',
      useIpAddress: false,
      ipMatchDays: 30,
      levels: 2,
      payout: { sale: true, lead: false },
      payIfUnused: false,
      blockSelfReferrals: true,
      currency: 'USD',
      timezone: 'UTC',
      payoutSchedule: { cutoffDay: 15, minimumBalance: 0 },
      signup: { enabled: false, autoApprove: false, programIds: [] },
    });
  });
});

describe('signup settings', () => {
  it('are patched partially, and a list that changes is reported once', () => {
    const result = applySettingsPatch(DEFAULT_SETTINGS, {
      signup: { enabled: true, programIds: ['standard', 'vip'] },
    });
    expect(result).toEqual({
      ok: true,
      value: {
        settings: expect.objectContaining({
          signup: { enabled: true, autoApprove: false, programIds: ['standard', 'vip'] },
        }),
        changedKeys: ['signup.enabled', 'signup.programIds'],
      },
    });
    if (!result.ok) return;
    const again = applySettingsPatch(result.value.settings, { signup: { programIds: ['standard', 'vip'] } });
    expect(again.ok && again.value.changedKeys).toEqual([]);
  });

  it('refuse open sign-up without programs, bad program lists and unknown keys', () => {
    expect(errorsOf({ signup: { enabled: true } })).toEqual([
      { path: 'signup.programIds', message: 'must name at least one program while sign-up is enabled' },
    ]);
    expect(errorsOf({ signup: { programIds: ['a', 'a'] } })[0]?.path).toBe('signup.programIds');
    expect(errorsOf({ signup: { programIds: 'standard' } })[0]?.path).toBe('signup.programIds');
    expect(errorsOf({ signup: { programIds: ['no spaces'] } })[0]?.path).toBe('signup.programIds');
    expect(errorsOf({ signup: { autoApprove: 'yes' } })).toEqual([
      { path: 'signup.autoApprove', message: 'must be a boolean' },
    ]);
    expect(errorsOf({ signup: { open: true } })).toEqual([
      { path: 'signup.open', message: 'is not a known setting' },
    ]);
  });

  it('are filled in from the defaults for settings stored before they existed', () => {
    const { signup: _signup, ...old } = normalizeSettings({});
    expect(normalizeSettings(old).signup).toEqual({ enabled: false, autoApprove: false, programIds: [] });
  });
});

describe('applySettingsPatch', () => {
  it('applies a subset, merging partial nested objects, and lists what changed', () => {
    const result = applySettingsPatch(DEFAULT_SETTINGS, {
      attribution: 'first',
      payout: { lead: true },
      payoutSchedule: { minimumBalance: 10000 },
      timezone: 'America/New_York',
      levels: 2, // unchanged value: not reported
    });
    expect(result).toEqual({
      ok: true,
      value: {
        settings: {
          ...DEFAULT_SETTINGS,
          attribution: 'first',
          payout: { sale: true, lead: true },
          payoutSchedule: { cutoffDay: 15, minimumBalance: 10000 },
          timezone: 'America/New_York',
        },
        changedKeys: ['attribution', 'payout.lead', 'payoutSchedule.minimumBalance', 'timezone'],
      },
    });
  });

  it('does not mutate the current settings', () => {
    const current = { ...DEFAULT_SETTINGS, payout: { ...DEFAULT_SETTINGS.payout } };
    applySettingsPatch(current, { payout: { sale: false } });
    expect(current.payout.sale).toBe(true);
  });

  it('reports an empty patch as no change', () => {
    expect(applySettingsPatch(DEFAULT_SETTINGS, {})).toEqual({
      ok: true,
      value: { settings: DEFAULT_SETTINGS, changedKeys: [] },
    });
  });

  it.each([
    [{ ipMatchDays: 0 }, 'ipMatchDays'],
    [{ ipMatchDays: 366 }, 'ipMatchDays'],
    [{ ipMatchDays: 1.5 }, 'ipMatchDays'],
    [{ levels: 4 }, 'levels'],
    [{ levels: '2' }, 'levels'],
    [{ attribution: 'middle' }, 'attribution'],
    [{ trackingMethod: 'history' }, 'trackingMethod'],
    [{ useIpAddress: 'yes' }, 'useIpAddress'],
    [{ currency: 'usd' }, 'currency'],
    [{ currency: 'XYZ' }, 'currency'],
    [{ timezone: 'Mars/Olympus_Mons' }, 'timezone'],
    [{ codePrefix: 'has space' }, 'codePrefix'],
    [{ payoutSchedule: { cutoffDay: 29 } }, 'payoutSchedule.cutoffDay'],
    [{ payoutSchedule: { cutoffDay: 0 } }, 'payoutSchedule.cutoffDay'],
    [{ payoutSchedule: { minimumBalance: -1 } }, 'payoutSchedule.minimumBalance'],
    [{ payoutSchedule: { minimumBalance: 10.5 } }, 'payoutSchedule.minimumBalance'],
    [{ payout: { partner: true } }, 'payout.partner'],
    [{ payout: true }, 'payout'],
    [{ favouriteColour: 'blue' }, 'favouriteColour'],
    [{ toString: 'x' }, 'toString'],
    [{ payout: { toString: true } }, 'payout.toString'],
  ])('rejects %j at %s', (patch, path) => {
    const errors = errorsOf(patch);
    expect(errors.map((error) => error.path)).toEqual([path]);
    expect(errors[0]?.message).toMatch(/^(must|is not)/);
  });

  it('accepts the edges of every range', () => {
    const result = applySettingsPatch(DEFAULT_SETTINGS, {
      ipMatchDays: 365,
      levels: 3,
      currency: 'EUR',
      codePrefix: 'rp-',
      payoutSchedule: { cutoffDay: 28, minimumBalance: 0 },
    });
    expect(result.ok).toBe(true);
  });

  it('collects every problem and applies nothing when one is wrong', () => {
    const result = applySettingsPatch(DEFAULT_SETTINGS, { ipMatchDays: 0, levels: 9, attribution: 'first' });
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: 'ipMatchDays', message: 'must be an integer from 1 to 365' },
        { path: 'levels', message: 'must be one of 1, 2, 3' },
      ],
    });
  });

  it('rejects a body that is not an object', () => {
    expect(errorsOf([])).toEqual([{ path: '', message: 'must be an object' }]);
    expect(errorsOf(null)).toHaveLength(1);
  });
});

describe('settingsApplied', () => {
  it('keeps the settings a commission is explained by', () => {
    expect(settingsApplied({ ...DEFAULT_SETTINGS, levels: 3 })).toEqual({
      attribution: 'last',
      trackingMethod: 'cookies-only',
      levels: 3,
      payIfUnused: false,
      blockSelfReferrals: true,
      payout: { sale: true, lead: false },
    });
  });
});

describe('assertCurrencyChangeAllowed', () => {
  const usd = { ...DEFAULT_SETTINGS, currency: 'USD' };
  const chf = { ...DEFAULT_SETTINGS, currency: 'CHF' };

  it('lets the currency change while no money is recorded, and keep its value at any time', () => {
    expect(() => assertCurrencyChangeAllowed(usd, chf, false)).not.toThrow();
    expect(() => assertCurrencyChangeAllowed(usd, { ...usd, levels: 3 }, true)).not.toThrow();
  });

  it('refuses another currency once money is recorded', () => {
    expect(() => assertCurrencyChangeAllowed(usd, chf, true)).toThrow(
      expect.objectContaining({ code: 'currency-locked', path: 'currency' }),
    );
  });
});
