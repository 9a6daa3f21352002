import {
  DEFAULT_ESCALATION_POLICY as P,
  EscalationPolicy,
  escalationPolicyProblems,
  isUpgrade,
  newRecipients,
  pending,
  plan,
} from '../../domain/escalation';

const T0 = '2026-03-01T00:00:00.000Z';
const minutesAfter = (iso: string) => (Date.parse(iso) - Date.parse(T0)) / 60_000;
const clone = (): EscalationPolicy => JSON.parse(JSON.stringify(P));

describe('the shipped escalation ladder (seed 002, 第二十至二十三条)', () => {
  it('a red warning not downgraded sends warning notices to the district industry regulator at 30, 60, 90 min and starts on-site supervision at 2 h', () => {
    const d = plan(P, 'red', T0);
    expect(d.map((x) => [x.kind, minutesAfter(x.due), x.to])).toEqual([
      ['notice_issued', 30, 'district_industry_regulator'],
      ['notice_repeated', 60, 'district_industry_regulator'],
      ['notice_repeated', 90, 'district_industry_regulator'],
      ['onsite_started', 120, 'district_industry_regulator'],
    ]);
  });

  it('a yellow warning sends the notice to the enterprise at 1 h, hourly after, and on-site supervision by the zone safety department at 24 h', () => {
    const d = plan(P, 'yellow', T0);
    expect(d[0]).toMatchObject({ kind: 'notice_issued', to: 'enterprise' });
    expect(minutesAfter(d[0].due)).toBe(60);
    expect(d.filter((x) => x.kind === 'notice_repeated').map((x) => minutesAfter(x.due))).toEqual(
      Array.from({ length: 22 }, (_, i) => (i + 2) * 60),
    );
    expect(d.at(-1)).toMatchObject({ kind: 'onsite_started', to: 'zone_safety_dept' });
    expect(minutesAfter(d.at(-1)!.due)).toBe(24 * 60);
  });

  it('an orange warning sends the notice to the district industry regulator at 1 h and on-site supervision at 12 h', () => {
    const d = plan(P, 'orange', T0);
    expect(d[0]).toMatchObject({ kind: 'notice_issued', to: 'district_industry_regulator' });
    expect(minutesAfter(d[0].due)).toBe(60);
    expect(d.filter((x) => x.kind !== 'onsite_started')).toHaveLength(11);
    expect(minutesAfter(d.at(-1)!.due)).toBe(12 * 60);
  });

  it('a blue warning stays in the enterprise closed loop: no clocks', () => {
    expect(plan(P, 'blue', T0)).toEqual([]);
    expect(P.levels.blue).toMatchObject({ pushTo: ['enterprise'], trackedBy: 'enterprise' });
  });

  it('each rung cites its own article of seed 002: 第二十条 blue, 第二十一条 yellow, 第二十二条 orange, 第二十三条 red', () => {
    expect(P.levels.blue.citation).toBe('002 第二十条（蓝色预警，企业闭环管理）');
    expect(P.levels.yellow.citation).toBe('002 第二十一条（黄色预警）');
    expect(P.levels.orange.citation).toBe('002 第二十二条（橙色预警）');
    expect(P.levels.red.citation).toBe('002 第二十三条（红色预警）');
  });

  it('the enterprise itself is pushed at every level (第十九条: first responsible party), its headquarters too from yellow up', () => {
    expect(P.levels.blue.pushTo).toEqual(['enterprise']);
    expect(P.levels.yellow.pushTo).toEqual(['zone_safety_dept', 'enterprise', 'enterprise_hq']);
    expect(P.levels.orange.pushTo).toEqual([
      'district_industry_regulator',
      'zone_safety_dept',
      'enterprise',
      'enterprise_hq',
    ]);
    expect(P.levels.red.pushTo).toEqual([
      'district_emergency_bureau',
      'district_industry_regulator',
      'zone_safety_dept',
      'enterprise',
      'enterprise_hq',
      'municipal_bureau',
    ]);
  });

  it('notices repeat until the warning is downgraded (在预警降级前): a red one past its on-site deadline keeps its 30-minute pushes', () => {
    const d = plan(P, 'red', T0, { untilDowngraded: true, maxNotices: 7 });
    expect(d.map((x) => [x.kind, minutesAfter(x.due), x.to, x.step])).toEqual([
      ['notice_issued', 30, 'district_industry_regulator', 0],
      ['notice_repeated', 60, 'district_industry_regulator', 1],
      ['notice_repeated', 90, 'district_industry_regulator', 2],
      ['notice_repeated', 120, 'district_industry_regulator', 3],
      ['onsite_started', 120, 'district_industry_regulator', 3],
      ['notice_repeated', 150, 'district_industry_regulator', 4],
      ['notice_repeated', 180, 'district_industry_regulator', 5],
      ['notice_repeated', 210, 'district_industry_regulator', 6],
    ]);
  });

  it('a yellow warning keeps its hourly notices to the enterprise after on-site supervision at 24 h', () => {
    const d = plan(P, 'yellow', T0, { untilDowngraded: true, maxNotices: 26 });
    expect(d.filter((x) => x.kind !== 'onsite_started').map((x) => minutesAfter(x.due) / 60)).toEqual(
      Array.from({ length: 26 }, (_, i) => i + 1),
    );
    expect(d.filter((x) => x.kind === 'onsite_started').map((x) => minutesAfter(x.due) / 60)).toEqual([24]);
  });

  it('a ladder whose first notice falls due after the on-site deadline still issues it (and repeats it)', () => {
    const p = clone();
    p.levels.red = { ...p.levels.red, firstNoticeAfter: 'PT3H', repeatEvery: 'PT1H', onSiteAfter: 'PT2H' };
    expect(
      plan(p, 'red', T0, { untilDowngraded: true, maxNotices: 3 }).map((x) => [x.kind, minutesAfter(x.due)]),
    ).toEqual([
      ['onsite_started', 120],
      ['notice_issued', 180],
      ['notice_repeated', 240],
      ['notice_repeated', 300],
    ]);
    p.levels.red = { ...p.levels.red, firstNoticeAfter: 'PT2H', onSiteAfter: 'PT2H' };
    expect(
      plan(p, 'red', T0, { untilDowngraded: true, maxNotices: 1 }).map((x) => [x.kind, minutesAfter(x.due)]),
    ).toEqual([
      ['notice_issued', 120],
      ['onsite_started', 120],
    ]);
  });

  it('a plan continued from a later notice gives the notices after it and no second on-site supervision', () => {
    const d = plan(P, 'red', T0, { untilDowngraded: true, fromNotice: 1000, maxNotices: 2 });
    expect(d.map((x) => [x.kind, minutesAfter(x.due), x.step])).toEqual([
      ['notice_repeated', 30 * 1001, 1000],
      ['notice_repeated', 30 * 1002, 1001],
    ]);
  });

  it('a downgrade re-plans from the moment of the change', () => {
    const later = '2026-03-01T00:45:00.000Z';
    expect(minutesAfter(plan(P, 'orange', later)[0].due)).toBe(45 + 60);
  });

  it('pending leaves out deadlines already passed', () => {
    const d = plan(P, 'red', T0);
    expect(pending(d, '2026-03-01T01:00:00.000Z').map((x) => minutesAfter(x.due))).toEqual([90, 120]);
  });

  it('an upgrade notifies only the parties the lower level did not', () => {
    expect(isUpgrade('yellow', 'red')).toBe(true);
    expect(isUpgrade('red', 'orange')).toBe(false);
    expect(newRecipients(P, 'yellow', 'red')).toEqual([
      'district_emergency_bureau',
      'district_industry_regulator',
      'municipal_bureau',
    ]);
  });

  it('a scaled ladder in seconds (drills and tests) plans in seconds', () => {
    const p = clone();
    p.levels.red = { ...p.levels.red, firstNoticeAfter: 'PT3S', repeatEvery: 'PT3S', onSiteAfter: 'PT12S' };
    expect(plan(p, 'red', T0).map((x) => minutesAfter(x.due) * 60)).toEqual([3, 6, 9, 12]);
  });
});

describe('escalation policy validation', () => {
  it('accepts the shipped default', () => {
    expect(escalationPolicyProblems(P)).toEqual([]);
  });

  it('names the field of a bad duration', () => {
    const p = clone();
    p.levels.orange.repeatEvery = '1 hour';
    p.levels.red.onSiteAfter = 'PT0S';
    expect(escalationPolicyProblems(p)).toEqual([
      { field: 'levels.red.onSiteAfter', message: 'must be longer than zero' },
      { field: 'levels.orange.repeatEvery', message: expect.stringContaining('not an ISO-8601 duration') },
    ]);
  });

  it('names the field of a recipient role that does not exist', () => {
    const p = clone();
    (p.levels.red.pushTo as string[])[1] = 'mayor';
    (p.levels.yellow as { trackedBy: string }).trackedBy = 'nobody';
    const problems = escalationPolicyProblems(p);
    expect(problems.map((x) => x.field)).toEqual(['levels.red.pushTo.1', 'levels.yellow.trackedBy']);
    expect(problems[0].message).toContain('"mayor" is not a role');
  });

  it('a rung with a notice clock must say who gets the notice', () => {
    const p = clone();
    delete p.levels.orange.noticeTo;
    expect(escalationPolicyProblems(p)).toEqual([{ field: 'levels.orange.noticeTo', message: expect.any(String) }]);
  });
});
