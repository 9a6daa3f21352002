/**
 * How much the embedded store (mongo-java-server on its H2 file) has been tested to hold here: the largest
 * world of README "Capacity" that passed the soak (bench/reports.ts --soak: weekly report three times while
 * readings arrive, zero errors, identical figures, the file reopens). Beyond it warnflow still runs, but
 * nobody has measured it: a large deployment sets MONGODB_URI to a real MongoDB.
 */
export const embeddedStoreCapacity = {
  /** Documents in all collections at the largest size that passed the soak (14,300 enterprises × 10 devices × 7 days). */
  testedDocuments: 1_065_000,
  /** Warn from this share of the tested size on. */
  warnAtShare: 0.8,
} as const;

export interface EmbeddedStoreStatus {
  documents: number;
  fileBytes: number;
}

/** The sentence warnflow says at start and on /health when the embedded store nears its tested size; undefined below. */
export function capacityWarning(
  s: EmbeddedStoreStatus,
  c: { testedDocuments: number; warnAtShare: number } = embeddedStoreCapacity,
): string | undefined {
  if (s.documents < c.testedDocuments * c.warnAtShare) return undefined;
  const share = Math.round((100 * s.documents) / c.testedDocuments);
  return (
    `the embedded store holds ${s.documents.toLocaleString('en')} documents (${(s.fileBytes / 2 ** 30).toFixed(1)} GiB), ${share} % of the ` +
    `largest size tested (${c.testedDocuments.toLocaleString('en')}): set MONGODB_URI to a real MongoDB before it grows further (README "Capacity")`
  );
}
