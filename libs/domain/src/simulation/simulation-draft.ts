// A what-if draft: programs and the commission settings to replay past sales under, checked and merged
// over what is in force now (what the draft leaves out stays as it is).
import type { FieldError, Validated } from '../errors/field-error';
import { isPlainObject, joinPath } from '../errors/field-error';
import type { Program } from '../programs/program';
import { parseProgram } from '../programs/program';
import type { Settings } from '../settings/settings';
import { applySettingsPatch } from '../settings/settings';

/** The settings a simulation may change: the ones that decide commission amounts. */
export const SIMULATED_SETTINGS = ['levels', 'payIfUnused', 'payout', 'blockSelfReferrals'] as const;
export type SimulatedSetting = (typeof SIMULATED_SETTINGS)[number];

export type SimulationSettingsDraft = Partial<{
  levels: Settings['levels'];
  payIfUnused: boolean;
  payout: Partial<Settings['payout']>;
  blockSelfReferrals: boolean;
}>;

/** At most this many draft programs in one simulation. */
export const MAX_DRAFT_PROGRAMS = 100;

function prefixed(prefix: string, errors: readonly FieldError[]): FieldError[] {
  return errors.map((error) => ({
    path: error.path === '' ? prefix : `${prefix}.${error.path}`,
    message: error.message,
  }));
}

/**
 * The current settings with the draft applied (the same checks as PATCH /v1/settings). Only the
 * SIMULATED_SETTINGS may be named; error paths start with `settings.`.
 */
export function applySimulationSettings(current: Settings, draft: unknown): Validated<Settings> {
  if (draft === undefined || draft === null) return { ok: true, value: current };
  if (!isPlainObject(draft))
    return { ok: false, errors: [{ path: 'settings', message: 'must be an object' }] };
  const allowed = new Set<string>(SIMULATED_SETTINGS);
  const errors: FieldError[] = Object.keys(draft)
    .filter((key) => !allowed.has(key))
    .map((key) => ({
      path: joinPath('settings', key),
      message: `is not a setting a simulation can change (${SIMULATED_SETTINGS.join(', ')})`,
    }));
  const patch = Object.fromEntries(Object.entries(draft).filter(([key]) => allowed.has(key)));
  const result = applySettingsPatch(current, patch);
  if (!result.ok) errors.push(...prefixed('settings', result.errors));
  if (errors.length > 0 || !result.ok) return { ok: false, errors };
  return { ok: true, value: result.value.settings };
}

/**
 * Draft programs keyed by program id, each a program body as POST /v1/programs takes it (checked by
 * parseProgram). A body without `id` takes its key; a body naming another id is refused. Error paths
 * start with `programs.<key>`.
 */
export function parseDraftPrograms(input: unknown): Validated<Map<string, Program>> {
  const programs = new Map<string, Program>();
  if (input === undefined || input === null) return { ok: true, value: programs };
  if (!isPlainObject(input)) {
    return { ok: false, errors: [{ path: 'programs', message: 'must be an object keyed by program id' }] };
  }
  const entries = Object.entries(input);
  if (entries.length > MAX_DRAFT_PROGRAMS) {
    return {
      ok: false,
      errors: [{ path: 'programs', message: `must hold at most ${MAX_DRAFT_PROGRAMS} programs` }],
    };
  }
  const errors: FieldError[] = [];
  for (const [key, body] of entries) {
    const path = joinPath('programs', key);
    if (!isPlainObject(body)) {
      errors.push({ path, message: 'must be a program object' });
      continue;
    }
    if (body['id'] !== undefined && body['id'] !== key) {
      errors.push({ path: joinPath(path, 'id'), message: `must be "${key}" (the key) or absent` });
      continue;
    }
    const parsed = parseProgram({ ...body, id: key });
    if (parsed.ok) programs.set(key, parsed.value);
    else errors.push(...prefixed(path, parsed.errors));
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: programs };
}

/** The programs a simulation prices with: every current program, replaced or added by the draft. */
export function mergePrograms(
  current: Iterable<Program>,
  draft: ReadonlyMap<string, Program>,
): Map<string, Program> {
  const merged = new Map<string, Program>();
  for (const program of current) merged.set(program.id, program);
  for (const [id, program] of draft) merged.set(id, program);
  return merged;
}
