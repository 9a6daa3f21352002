import { DEFAULT_ESCALATION_POLICY, nextNoticeAt, plan, validateEscalationPolicy, PolicyError, isUpgrade } from '../../domain/escalation/ladder';

const MIN = 60_000;
const H = 60 * MIN;
const L = DEFAULT_ESCALATION_POLICY.levels;

describe('the shipped ladder reads like seed 002, articles 20–23', () => {
  it('red: everyone pushed at once, notices to the district industry regulator at 30, 60, 90 min, on-site supervision at 2 h', () => {
    expect(L.red.pushTo).toEqual(expect.arrayContaining(['district_emergency_bureau', 'district_industry_regulator', 'zone_safety_dept', 'enterprise_hq', 'municipal_bureau']));
    const p = plan(L.red, 0, 90 * MIN);
    expect(p.noticesAt).toEqual([30 * MIN, 60 * MIN, 90 * MIN]);
    expect(L.red.noticeTo).toBe('district_industry_regulator');
    expect(p.onSiteAt).toBe(2 * H);
  });
  it('orange: notices to the district industry regulator hourly from 1 h, on-site at 12 h', () => {
    expect(plan(L.orange, 0, 3 * H).noticesAt).toEqual([H, 2 * H, 3 * H]);
    expect(L.orange.noticeTo).toBe('district_industry_regulator');
    expect(plan(L.orange, 0, 0).onSiteAt).toBe(12 * H);
  });
  it('yellow: notices to the enterprise hourly from 1 h, tracked by the zone safety department, on-site at 24 h', () => {
    expect(plan(L.yellow, 0, 2 * H).noticesAt).toEqual([H, 2 * H]);
    expect(L.yellow.noticeTo).toBe('enterprise');
    expect(L.yellow.trackedBy).toBe('zone_safety_dept');
    expect(plan(L.yellow, 0, 0).onSiteAt).toBe(24 * H);
  });
  it('blue: only the enterprise, no notices, no on-site supervision', () => {
    expect(L.blue.pushTo).toEqual(['enterprise']);
    expect(plan(L.blue, 0, 100 * H)).toEqual({ noticesAt: [], onSiteAt: undefined });
  });
});

describe('clock maths', () => {
  it('the next notice after a given instant follows the repeat interval', () => {
    expect(nextNoticeAt(L.red, 0, 0)).toBe(30 * MIN);
    expect(nextNoticeAt(L.red, 0, 30 * MIN)).toBe(60 * MIN);
    expect(nextNoticeAt(L.red, 0, 61 * MIN)).toBe(90 * MIN);
    expect(nextNoticeAt(L.blue, 0, 0)).toBeUndefined();
  });
  it('knows an upgrade from a downgrade', () => {
    expect(isUpgrade('yellow', 'red')).toBe(true);
    expect(isUpgrade('red', 'orange')).toBe(false);
  });
});

describe('an administrator edits the ladder', () => {
  const edited = () => JSON.parse(JSON.stringify(DEFAULT_ESCALATION_POLICY));
  it('accepts the defaults and durations down to seconds (drills run a scaled ladder)', () => {
    const p = edited();
    p.levels.red.noticeAfter = 'PT3S';
    p.levels.red.repeatEvery = 'PT3S';
    expect(validateEscalationPolicy(p).levels.red.noticeAfter).toBe('PT3S');
  });
  it.each([
    ['levels.red.noticeAfter', (p: any) => (p.levels.red.noticeAfter = '30 minutes')],
    ['levels.orange.repeatEvery', (p: any) => (p.levels.orange.repeatEvery = 'PT0S')],
    ['levels.yellow.trackedBy', (p: any) => (p.levels.yellow.trackedBy = 'mayor')],
    ['levels.red.pushTo.1', (p: any) => (p.levels.red.pushTo[1] = 'police')],
    ['levels.blue', (p: any) => delete p.levels.blue],
    ['levels.red.noticeTo', (p: any) => delete p.levels.red.noticeTo],
  ])('refuses a bad %s, naming it', (field, spoil) => {
    const p = edited();
    spoil(p);
    let err: unknown;
    try {
      validateEscalationPolicy(p);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PolicyError);
    expect((err as PolicyError).field).toBe(field);
  });
});
