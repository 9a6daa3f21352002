import {
  CLAUSES,
  DEFAULT_PERMIT_POLICY as P,
  LEVELS_OF,
  PermitPolicy,
  SET_BY_ENTERPRISE,
  WORK_TYPES,
  analysisProblem,
  applicationProblems,
  checkInDue,
  extensionProblem,
  interruptionExceeded,
  managedLevel,
  nextSigner,
  permitPolicyProblems,
  reanalysisDue,
  ruleOf,
  signOffProblem,
} from '../../domain/permits';
import { permitApplication as application } from '../helpers/permitWorld';

const T0 = Date.parse('2026-03-02T01:00:00.000Z');
const MIN = 60_000;
const H = 60 * MIN;
const clone = (): PermitPolicy => JSON.parse(JSON.stringify(P));
const rule = (type: (typeof WORK_TYPES)[number], level: string) => ruleOf(P, type, level as never)!;

/** Every `{ value, source }` of a policy, with its path. */
function sources(o: unknown, path = ''): [string, unknown][] {
  if (!o || typeof o !== 'object') return [];
  if ('source' in o && 'value' in o) return [[path, (o as { source: unknown }).source]];
  return Object.entries(o).flatMap(([k, v]) => sources(v, path ? `${path}.${k}` : k));
}

describe('the shipped permit rules (GB 30871-2022)', () => {
  it('every rule value cites a clause of the clause list or says the enterprise sets it', () => {
    const all = sources(P.rules);
    expect(all.length).toBeGreaterThan(50);
    const unknown = all.filter(
      ([, s]) => s !== SET_BY_ENTERPRISE && !Object.prototype.hasOwnProperty.call(CLAUSES, s as string),
    );
    expect(unknown).toEqual([]);
  });

  it('the shipped policy validates, and has a rule for every type and level', () => {
    expect(permitPolicyProblems(P)).toEqual([]);
    for (const t of WORK_TYPES) for (const l of LEVELS_OF[t]) expect(ruleOf(P, t, l)).toBeDefined();
  });

  it('hot work: special and level 1 valid at most 8 h, level 2 at most 72 h; gas analysed at most 30 min before; re-analysis after an interruption over 30 / 30 / 60 min', () => {
    expect(['special', 'level1', 'level2'].map((l) => rule('hot_work', l).validity)).toEqual([
      { value: 'PT8H', source: 'hot_work.validity' },
      { value: 'PT8H', source: 'hot_work.validity' },
      { value: 'PT72H', source: 'hot_work.validity' },
    ]);
    expect(['special', 'level1', 'level2'].map((l) => rule('hot_work', l).analysisMaxAge)).toEqual(
      Array(3).fill({ value: 'PT30M', source: 'hot_work.analysis' }),
    );
    expect(['special', 'level1', 'level2'].map((l) => rule('hot_work', l).interruptionLimit?.value)).toEqual([
      'PT30M',
      'PT30M',
      'PT60M',
    ]);
    expect(rule('hot_work', 'special').continuousMonitoring).toEqual({ value: true, source: 'hot_work.continuous' });
  });

  it('confined space: valid at most 24 h, analysed at most 30 min before entry, re-analysed after 60 min interruption, monitored with a record every 2 h', () => {
    const r = rule('confined_space', 'single');
    expect([r.validity, r.analysisMaxAge, r.interruptionLimit, r.reanalysisEvery]).toEqual([
      { value: 'PT24H', source: 'confined_space.validity' },
      { value: 'PT30M', source: 'confined_space.analysis' },
      { value: 'PT60M', source: 'confined_space.interruption' },
      { value: 'PT2H', source: 'confined_space.monitoring' },
    ]);
  });

  it('approvers (附录B 表B.1): special hot work the executive, level 1 the safety department, level 2 and confined space the unit; sign-offs in the form’s order', () => {
    expect(['special', 'level1', 'level2'].map((l) => rule('hot_work', l).approver)).toEqual([
      { value: 'executive', source: 'approval.table_b1' },
      { value: 'safety_dept', source: 'approval.table_b1' },
      { value: 'unit', source: 'approval.table_b1' },
    ]);
    expect(rule('confined_space', 'single').approver).toEqual({ value: 'unit', source: 'approval.table_b1' });
    expect(rule('hot_work', 'special').signOff.value).toEqual([
      'work_leader',
      'unit',
      'safety_dept',
      'executive',
      'shift_leader',
    ]);
    expect(rule('hot_work', 'level2').signOff.value).toEqual(['work_leader', 'unit', 'shift_leader']);
    expect(rule('confined_space', 'single').signOff.value).toEqual(['work_leader', 'unit']);
  });

  it('the guardian check-in interval is the enterprise’s (the standard gives none)', () => {
    expect(rule('hot_work', 'level1').guardianCheckInEvery.source).toBe(SET_BY_ENTERPRISE);
    expect(rule('blind_plate', 'single').validity).toBeUndefined();
  });

  it('hot work is managed one level up on holidays, rest days, at night or in special conditions; special stays special; other types are not upgraded', () => {
    expect(managedLevel('hot_work', 'level2', ['night'])).toBe('level1');
    expect(managedLevel('hot_work', 'level1', ['holiday'])).toBe('special');
    expect(managedLevel('hot_work', 'special', ['rest_day'])).toBe('special');
    expect(managedLevel('hot_work', 'level2', [])).toBe('level2');
    expect(managedLevel('confined_space', 'single', ['night'])).toBe('single');
  });
});

describe('validation of an edited policy', () => {
  it('names the field of a bad duration, an unknown citation and an approver who does not sign', () => {
    const p = clone();
    p.rules.hot_work.level1!.validity = { value: 'eight hours', source: 'hot_work.validity' };
    p.rules.confined_space.single!.analysisMaxAge = { value: 'PT30M', source: 'GB 30871-2022 9.9' as never };
    p.rules.hot_work.level2!.approver = { value: 'executive', source: 'approval.table_b1' };
    expect(permitPolicyProblems(p).map((x) => x.field)).toEqual([
      'rules.hot_work.level1.validity.value',
      'rules.hot_work.level2.approver.value',
      'rules.confined_space.single.analysisMaxAge.source',
    ]);
  });
});

describe('the e-permit', () => {
  it('a complete application has no problems', () => {
    expect(applicationProblems(application(), rule('hot_work', 'level1'))).toEqual([]);
  });

  it('a level-1 hot-work window longer than 8 h is refused on validTo, citing the clause', () => {
    const p = applicationProblems(
      application({ validTo: new Date(T0 + 9 * H).toISOString() }),
      rule('hot_work', 'level1'),
    );
    expect(p).toEqual([
      {
        field: 'validTo',
        message: 'the permit may be valid at most 8小时 (GB 30871-2022 第5章 动火作业（安全作业票有效期）)',
      },
    ]);
  });

  it('a worker without a certificate number, an unconfirmed measure and a missing signer are each named', () => {
    const a = application({ workers: [{ name: '王', certificateNo: '' }] });
    a.measures[1] = { item: a.measures[1].item, applies: true };
    a.signers = a.signers.filter((s) => s.role !== 'safety_dept');
    expect(applicationProblems(a, rule('hot_work', 'level1')).map((x) => x.field)).toEqual([
      'measures.1.confirmedBy',
      'workers.0.certificateNo',
      'signers.safety_dept',
    ]);
  });
});

describe('permit clocks', () => {
  const r1 = rule('hot_work', 'level1');
  const ana = (minsBefore: number, qualified = true) => ({
    at: new Date(T0 - minsBefore * MIN).toISOString(),
    place: 'T-101',
    analyst: '化验员',
    readings: [{ substance: '可燃气体', value: 0.1, unit: '%' }],
    qualified,
  });

  it('sign-offs go in order, each by the named user', () => {
    const app = application();
    expect(nextSigner(r1, [])).toBe('work_leader');
    expect(signOffProblem(r1, app, [], { role: 'safety_dept', by: 'u-safety_dept' })).toMatch(
      /^role: the next sign-off is work_leader/,
    );
    expect(signOffProblem(r1, app, [], { role: 'work_leader', by: 'u-someone' })).toBe(
      'by: work_leader is signed by u-work_leader, not u-someone',
    );
    expect(signOffProblem(r1, app, ['work_leader'], { role: 'unit', by: 'u-unit' })).toBeUndefined();
    expect(nextSigner(r1, ['work_leader', 'unit', 'safety_dept', 'shift_leader'])).toBeUndefined();
  });

  it('work starts on a qualified analysis no older than 30 min; 31 min is stale; an unqualified one is refused', () => {
    expect(analysisProblem(r1, [ana(30)], T0)).toBeUndefined();
    expect(analysisProblem(r1, [ana(31)], T0)).toMatch(/older than 30分钟/);
    expect(analysisProblem(r1, [ana(5, false)], T0)).toMatch(/not qualified/);
    expect(analysisProblem(r1, [], T0)).toMatch(/^gasAnalysis: a gas analysis is required/);
    expect(analysisProblem(rule('work_at_height', 'height_II'), [], T0)).toBeUndefined();
  });

  it('an interruption beyond the limit (level 1: 30 min; level 2: 60 min) needs an analysis taken after the interruption began', () => {
    expect(interruptionExceeded(r1, T0, T0 + 30 * MIN)).toBe(false);
    expect(interruptionExceeded(r1, T0, T0 + 31 * MIN)).toBe(true);
    expect(interruptionExceeded(rule('hot_work', 'level2'), T0, T0 + 45 * MIN)).toBe(false);
    expect(analysisProblem(r1, [ana(40)], T0, T0 - 35 * MIN)).toMatch(/a new gas analysis is required/);
  });

  it('re-analysis and check-in fall due at their intervals; extensions stay within the validity', () => {
    expect(reanalysisDue(rule('confined_space', 'single'), T0)).toBe(T0 + 2 * H);
    expect(checkInDue(r1, T0)).toBe(T0 + H);
    expect(extensionProblem(r1, T0, T0 + 6 * H, T0 + 8 * H)).toBeUndefined();
    expect(extensionProblem(r1, T0, T0 + 6 * H, T0 + 9 * H)).toMatch(/at most 8小时 in all/);
  });
});
