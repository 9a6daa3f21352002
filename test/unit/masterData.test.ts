import { usccCheckChar, usccProblem } from '../../domain/masterData';
import { indicatorSchema, indicatorThresholdProblems, usccSchema } from '../../web/masterData/schemas';

const first17 = '91320500MA1XY1234';
const valid = first17 + usccCheckChar(first17);

describe('统一社会信用代码 (unified social credit code)', () => {
  it('accepts a code whose check character matches the first 17 characters', () => {
    expect(usccProblem(valid)).toBeUndefined();
    expect(usccSchema.parse(valid.toLowerCase())).toBe(valid);
  });

  it('refuses a code whose check character does not match', () => {
    const wrong = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    expect(usccProblem(wrong)).toBe('check character does not match');
    const parsed = usccSchema.safeParse(wrong);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toMatch(/^uscc /);
  });

  it('refuses characters outside the GB 32100 alphabet (I, O, S, V, Z and punctuation)', () => {
    for (const bad of ['I', 'O', 'S', 'V', 'Z', '-']) {
      expect(usccProblem(bad + valid.slice(1))).toBe(`character "${bad}" is not allowed`);
    }
  });

  it('refuses a code that is not 18 characters long', () => {
    expect(usccProblem(valid.slice(0, 17))).toBe('must be 18 characters');
    expect(usccProblem(valid + '0')).toBe('must be 18 characters');
    expect(usccProblem('')).toBe('must be 18 characters');
  });
});

describe('监测指标 thresholds', () => {
  const dp = {
    code: 'dp',
    name: '除尘器压差',
    kind: 'differential_pressure' as const,
    unit: 'Pa',
    alarmLowLow: 200,
    alarmLow: 400,
    normalMin: 600,
    normalMax: 1500,
    alarmHigh: 1800,
    alarmHighHigh: 2200,
    rangeMin: 0,
    rangeMax: 5000,
    intervalSec: 300,
  };

  it('accepts lowLow ≤ low ≤ normal range ≤ high ≤ highHigh inside the measurement range', () => {
    expect(indicatorThresholdProblems(dp)).toEqual([]);
    expect(indicatorSchema.safeParse(dp).success).toBe(true);
  });

  it('accepts an indicator with only a high alarm (unset thresholds are skipped)', () => {
    expect(indicatorThresholdProblems({ alarmHigh: 60, intervalSec: 300 })).toEqual([]);
  });

  it('names the field that breaks the order', () => {
    expect(indicatorThresholdProblems({ ...dp, alarmHigh: 1400 }).map((p) => p.field)).toEqual(['alarmHigh']);
    expect(indicatorThresholdProblems({ ...dp, alarmLow: 100 }).map((p) => p.field)).toEqual(['alarmLow']);
  });

  it('refuses thresholds outside the measurement range', () => {
    expect(indicatorThresholdProblems({ ...dp, alarmHighHigh: 6000 })).toEqual([
      expect.objectContaining({ field: 'alarmHighHigh', message: expect.stringContaining('rangeMax') }),
    ]);
    expect(indicatorThresholdProblems({ ...dp, rangeMin: 300 }).map((p) => p.field)).toEqual(['alarmLowLow']);
  });

  it('refuses a reporting interval that is not above 0, with the field in the issue path', () => {
    expect(indicatorThresholdProblems({ ...dp, intervalSec: 0 }).map((p) => p.field)).toEqual(['intervalSec']);
    // 002 附件2 三(二)3: at least every 5 minutes.
    expect(indicatorThresholdProblems({ ...dp, intervalSec: 300 })).toEqual([]);
    expect(indicatorThresholdProblems({ ...dp, intervalSec: 301 })).toEqual([
      {
        field: 'intervalSec',
        message: 'intervalSec must be at most 300 s (monitoring data is reported at least every 5 minutes)',
      },
    ]);
    const parsed = indicatorSchema.safeParse({ ...dp, intervalSec: 0 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path[0])).toContain('intervalSec');
  });
});
