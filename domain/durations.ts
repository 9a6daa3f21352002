/**
 * ISO-8601 durations (PnW, PnDTnHnMnS). Policies store their clocks in this form so an
 * administrator reads "PT30M" as seed 002 reads "30分钟". Months and years are refused: their
 * length depends on the date, and no legal clock in the seeds needs them.
 */
const PATTERN = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export class DurationError extends Error {}

export function parseDuration(iso: string): number {
  const m = PATTERN.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T')) {
    throw new DurationError(
      `"${iso}" is not an ISO-8601 duration such as PT30M, PT1H, P2D (months and years are not accepted)`,
    );
  }
  const [, w, d, h, min, s] = m;
  const n = (x: string | undefined) => (x ? Number(x) : 0);
  return Math.round((((n(w) * 7 + n(d)) * 24 + n(h)) * 60 + n(min)) * 60_000 + n(s) * 1000);
}

export function isDuration(iso: unknown): iso is string {
  if (typeof iso !== 'string') return false;
  try {
    parseDuration(iso);
    return true;
  } catch {
    return false;
  }
}

/** A duration as a document prints it: `PT2H` → `2小时`, `P1DT12H` → `1天12小时`, `PT30M` → `30分钟`. */
export function durationZh(iso: string): string {
  const m = PATTERN.exec(iso);
  if (!m) return iso;
  const [, w, d, h, min, s] = m;
  const parts = [w && `${w}周`, d && `${d}天`, h && `${h}小时`, min && `${min}分钟`, s && `${s}秒`].filter(Boolean);
  return parts.join('') || iso;
}
