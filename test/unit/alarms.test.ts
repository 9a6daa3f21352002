import {
  DEFAULT_ALARM_POLICY,
  INITIAL_STATE,
  IndicatorLimits,
  IndicatorState,
  alarmPolicyProblems,
  evaluateReading,
} from '../../domain/alarms';

const dp: IndicatorLimits = { alarmHigh: 100, alarmLow: 0, alarmHighHigh: 150, rangeMin: -10, rangeMax: 500 };
const policy = { ...DEFAULT_ALARM_POLICY, debounceReadings: 3, normalReadings: 2, deadbandFraction: 0.05 };

function run(values: number[], limits = dp, start: IndicatorState = INITIAL_STATE) {
  let state = start;
  const events: (string | undefined)[] = [];
  for (const v of values) {
    const e = evaluateReading(state, v, limits, policy);
    state = e.state;
    events.push(e.event);
  }
  return { state, events };
}

describe('monitoring alarm debounce and hysteresis', () => {
  it('two readings above the alarm threshold do not open a case; the third in a row does', () => {
    expect(run([120, 120]).events).toEqual([undefined, undefined]);
    expect(run([120, 121, 122]).events).toEqual([undefined, undefined, 'breach']);
  });

  it('a single normal reading between breaches restarts the debounce count (noise opens nothing)', () => {
    expect(run([120, 120, 50, 120, 120, 50]).events.filter(Boolean)).toEqual([]);
  });

  it('a high-high reading opens the case at once', () => {
    expect(run([160]).events).toEqual(['breach']);
  });

  it('a storm of readings in alarm raises one breach, not one per reading', () => {
    expect(run(Array(50).fill(130)).events.filter((e) => e === 'breach')).toHaveLength(1);
  });

  it('back below the threshold but inside the deadband is not yet normal; below threshold minus deadband twice is', () => {
    const inAlarm = run([120, 120, 120]).state;
    // deadband = 5% of |100 - 0| = 5: 97 is below the threshold but within the deadband.
    expect(run([97, 97, 97], dp, inAlarm).events.filter(Boolean)).toEqual([]);
    expect(run([90, 90], dp, inAlarm).events).toEqual([undefined, 'normal']);
  });

  it('a value outside the measurement range is flagged and neither opens nor closes a case', () => {
    const e = evaluateReading(INITIAL_STATE, 900, dp, { ...policy, debounceReadings: 1 });
    expect(e.outOfRange).toBe(true);
    expect(e.event).toBeUndefined();
  });

  it('the same value many times in a row is flagged frozen once', () => {
    let state = INITIAL_STATE;
    let flagged = 0;
    for (let i = 0; i < policy.frozenReadings + 10; i++) {
      const e = evaluateReading(state, 42, dp, policy);
      state = e.state;
      if (e.becameFrozen) flagged++;
    }
    expect(flagged).toBe(1);
    expect(state.frozen).toBe(true);
    expect(evaluateReading(state, 43, dp, policy).state.frozen).toBe(false);
  });

  it('a low alarm works the same way below the low threshold', () => {
    expect(run([-1, -2, -3]).events).toEqual([undefined, undefined, 'breach']);
  });

  it('the shipped policy is valid and a bad one is refused naming the field', () => {
    expect(alarmPolicyProblems(DEFAULT_ALARM_POLICY)).toEqual([]);
    expect(
      alarmPolicyProblems({ ...DEFAULT_ALARM_POLICY, disposalWithin: '2 hours', debounceReadings: 0 })
        .map((p) => p.field)
        .sort(),
    ).toEqual(['debounceReadings', 'disposalWithin']);
  });
});
