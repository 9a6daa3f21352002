import { parseArgs, readingFor, valueFor } from '../../scripts/simulate';
import type { IndicatorDoc } from '../../models/masterData';

const dp: IndicatorDoc = {
  code: 'dp',
  name: '压差',
  kind: 'differential_pressure',
  unit: 'Pa',
  normalMin: 300,
  normalMax: 1200,
  alarmLow: 200,
  alarmHigh: 1500,
  rangeMin: 0,
  rangeMax: 5000,
  intervalSec: 300,
};

describe('the data simulator', () => {
  it('keeps normal values inside the normal band and never repeats one value for long', () => {
    const values = Array.from({ length: 20 }, (_, round) => valueFor(dp, round));
    for (const v of values) {
      expect(v).toBeGreaterThanOrEqual(300);
      expect(v).toBeLessThanOrEqual(1200);
    }
    expect(new Set(values).size).toBeGreaterThan(10);
  });
  it('a breach goes beyond the high alarm threshold, out-of-range beyond the measurement range', () => {
    expect(valueFor(dp, 1, 'breach')).toBeGreaterThan(1500);
    expect(valueFor(dp, 1, 'breach')).toBeLessThan(5000);
    expect(valueFor(dp, 1, 'out_of_range')).toBeGreaterThan(5000);
  });
  it('reads its fault switches and refuses unknown ones', () => {
    const o = parseArgs(['--breach', 'd1:dp', '--silence', 'd2', '--every', '5', '--rounds', '3'], 'http://x');
    expect([...o.breach]).toEqual(['d1:dp']);
    expect([...o.silence]).toEqual(['d2']);
    expect(o.every).toBe(5);
    expect(o.rounds).toBe(3);
    expect(() => parseArgs(['--explode'], 'http://x')).toThrow('unknown switch --explode');
    expect(() => parseArgs(['--every', '0'], 'http://x')).toThrow('--every');
  });
  it('a fault indicator reports its status: ok, or fault on --device-fault <device>:<indicator>', () => {
    const lock: IndicatorDoc = {
      code: 'lock_fault',
      name: '锁气卸灰故障信号',
      kind: 'fault',
      unit: '',
      intervalSec: 300,
    };
    const o = parseArgs(['--device-fault', 'd1:lock_fault'], 'http://x');
    expect([...o.deviceFault]).toEqual(['d1:lock_fault']);
    expect(readingFor('d2', lock, 1, 't', o)).toEqual({
      deviceCode: 'd2',
      indicator: 'lock_fault',
      status: 'ok',
      ts: 't',
    });
    expect(readingFor('d1', lock, 1, 't', o)).toEqual({
      deviceCode: 'd1',
      indicator: 'lock_fault',
      status: 'fault',
      ts: 't',
    });
    expect(readingFor('d1', dp, 1, 't', o)).toEqual({
      deviceCode: 'd1',
      indicator: 'dp',
      value: valueFor(dp, 1),
      ts: 't',
    });
  });
});
