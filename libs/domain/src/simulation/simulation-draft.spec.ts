import { aProgram, settingsWith } from '../testing/fixtures';
import { applySimulationSettings, mergePrograms, parseDraftPrograms } from './simulation-draft';

describe('applySimulationSettings', () => {
  it('applies the commission settings of the draft over the current ones', () => {
    const current = settingsWith({ levels: 2, timezone: 'Europe/Paris' });
    const result = applySimulationSettings(current, { levels: 3, payout: { lead: true }, payIfUnused: true });
    expect(result).toEqual({
      ok: true,
      value: { ...current, levels: 3, payout: { sale: true, lead: true }, payIfUnused: true },
    });
    expect(current.levels).toBe(2);
  });

  it('keeps the current settings when there is no draft', () => {
    const current = settingsWith();
    expect(applySimulationSettings(current, undefined)).toEqual({ ok: true, value: current });
  });

  it('names every refused field with its path under settings', () => {
    const result = applySimulationSettings(settingsWith(), {
      levels: 4,
      payout: { sale: 'yes', extra: true },
      currency: 'EUR',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path).sort()).toEqual([
      'settings.currency',
      'settings.levels',
      'settings.payout.extra',
      'settings.payout.sale',
    ]);
    expect(applySimulationSettings(settingsWith(), [1])).toEqual({
      ok: false,
      errors: [{ path: 'settings', message: 'must be an object' }],
    });
  });
});

describe('parseDraftPrograms', () => {
  it('checks each body as POST /v1/programs does, taking the id from the key', () => {
    const result = parseDraftPrograms({
      standard: { name: 'Standard', default: { sale: [{ percent: '20' }] } },
    });
    expect(result).toEqual({
      ok: true,
      value: new Map([
        ['standard', aProgram('standard', { name: 'Standard', default: { sale: [{ percent: '20' }] } })],
      ]),
    });
  });

  it('refuses bad bodies with paths under programs.<id>', () => {
    const result = parseDraftPrograms({
      standard: { id: 'other', name: 'Standard' },
      vip: { name: '', default: { sale: [{ percent: '120' }] }, extra: 1 },
      broken: 'x',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path).sort()).toEqual([
      'programs.broken',
      'programs.standard.id',
      'programs.vip.default.sale[0].percent',
      'programs.vip.extra',
      'programs.vip.name',
    ]);
    expect(parseDraftPrograms([])).toMatchObject({ ok: false, errors: [{ path: 'programs' }] });
  });
});

describe('mergePrograms', () => {
  it('replaces and adds drafted programs, keeps the others', () => {
    const merged = mergePrograms(
      [aProgram('a'), aProgram('b')],
      new Map([
        ['b', aProgram('b', { priority: 5 })],
        ['c', aProgram('c')],
      ]),
    );
    expect([...merged.keys()]).toEqual(['a', 'b', 'c']);
    expect(merged.get('b')?.priority).toBe(5);
  });
});
