/** What every policy validator answers: a problem per bad value, naming its field (e.g. `levels.red.repeatEvery`). */
import { parseDuration } from './durations';

export interface PolicyProblem {
  field: string;
  message: string;
}

/** A positive ISO-8601 duration (down to seconds), or what is wrong with it. */
export function durationProblem(v: unknown): string | undefined {
  if (typeof v !== 'string') return 'must be an ISO-8601 duration such as PT30M';
  try {
    return parseDuration(v) > 0 ? undefined : 'must be longer than zero';
  } catch (e) {
    return (e as Error).message;
  }
}
