import { parseDuration, isDuration } from '../../domain/durations';

describe('ISO-8601 durations of the legal clocks', () => {
  it.each([
    ['PT30M', 30 * 60_000],
    ['PT1H', 3_600_000],
    ['PT2H', 7_200_000],
    ['P1D', 86_400_000],
    ['P2DT12H', 2.5 * 86_400_000],
    ['P1W', 7 * 86_400_000],
    ['PT5S', 5000],
    ['PT0.5S', 500],
  ])('%s is %d ms', (iso, ms) => {
    expect(parseDuration(iso)).toBe(ms);
  });

  it.each(['', 'P', 'PT', '30M', 'P1M', 'P1Y', 'PT-1H', '1 hour', 'P1DT'])(
    'refuses %p with a message naming the value',
    (bad) => {
      expect(() => parseDuration(bad)).toThrow(`"${bad}" is not an ISO-8601 duration`);
      expect(isDuration(bad)).toBe(false);
    },
  );
});
