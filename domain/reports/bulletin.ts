/**
 * The monthly bulletin (月度通报, seed 002 第三十二条): enterprises and regions ranked, and where the
 * problems concentrate (regions and industries with the most problem enterprises). Pure, over the
 * figures a report computed.
 */
export interface BulletinEnterprise {
  enterpriseId: string;
  enterpriseName?: string;
  regionPath?: string[];
  industry?: string;
  dataOfflineRatePercent: number;
  videoOfflineRatePercent: number;
  warnings: number;
  overdueWarningCount: number;
  score: number;
  yearScore?: number;
  /** Caught by a follow-up rule (offline notice, interview, key target) or an overdue/frequent warning. */
  problem: boolean;
}

export interface BulletinRegion {
  regionId: string;
  regionName?: string;
  regionKind?: string;
  enterprises: number;
  dataOfflineRatePercent: number;
  videoOfflineRatePercent: number;
  warnings: number;
  meanScore?: number;
}

export interface RankedEnterprise {
  rank: number;
  enterpriseId: string;
  enterpriseName?: string;
  score: number;
  yearScore?: number;
  offlineRatePercent: number;
  warnings: number;
}

export interface RankedRegion extends BulletinRegion {
  rankByScore: number;
  rankByOffline: number;
  rankByWarnings: number;
}

export interface Concentration {
  key: string;
  name?: string;
  problemEnterprises: number;
  warnings: number;
  overdueWarnings: number;
  /** Share of all problem enterprises, percent. */
  sharePercent: number;
}

export interface Bulletin {
  /** Best first; ties by enterprise id. `top` and `bottom` are the first and last `size` of the ranking. */
  top: RankedEnterprise[];
  bottom: RankedEnterprise[];
  regions: RankedRegion[];
  concentration: { byRegion: Concentration[]; byIndustry: Concentration[] };
  problemEnterprises: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Rank 1 = best score; equal scores share a rank (1, 2, 2, 4). */
export function rankEnterprises(rows: BulletinEnterprise[]): RankedEnterprise[] {
  const sorted = [...rows].sort((a, b) => b.score - a.score || a.enterpriseId.localeCompare(b.enterpriseId));
  let rank = 0;
  return sorted.map((r, i) => {
    if (i === 0 || r.score !== sorted[i - 1].score) rank = i + 1;
    return {
      rank,
      enterpriseId: r.enterpriseId,
      enterpriseName: r.enterpriseName,
      score: r.score,
      yearScore: r.yearScore,
      offlineRatePercent: Math.max(r.dataOfflineRatePercent, r.videoOfflineRatePercent),
      warnings: r.warnings,
    };
  });
}

function ranks<T>(xs: T[], better: (a: T, b: T) => number): Map<T, number> {
  const sorted = [...xs].sort(better);
  const out = new Map<T, number>();
  sorted.forEach((x, i) => out.set(x, i > 0 && better(x, sorted[i - 1]) === 0 ? out.get(sorted[i - 1])! : i + 1));
  return out;
}

/** Regions (one level, e.g. districts) ranked by mean score, offline rate and warnings; listed by score rank. */
export function rankRegions(regions: BulletinRegion[]): RankedRegion[] {
  const byScore = ranks(regions, (a, b) => (b.meanScore ?? 0) - (a.meanScore ?? 0));
  const byOffline = ranks(
    regions,
    (a, b) =>
      Math.max(a.dataOfflineRatePercent, a.videoOfflineRatePercent) -
      Math.max(b.dataOfflineRatePercent, b.videoOfflineRatePercent),
  );
  const byWarnings = ranks(regions, (a, b) => a.warnings - b.warnings);
  return regions
    .map((r) => ({
      ...r,
      rankByScore: byScore.get(r)!,
      rankByOffline: byOffline.get(r)!,
      rankByWarnings: byWarnings.get(r)!,
    }))
    .sort((a, b) => a.rankByScore - b.rankByScore || a.regionId.localeCompare(b.regionId));
}

/** Where problems concentrate: groups by a key, most problem enterprises first, top `limit`. */
export function concentration(
  rows: BulletinEnterprise[],
  keyOf: (r: BulletinEnterprise) => string | undefined,
  names: Map<string, string>,
  limit = 5,
): Concentration[] {
  const total = rows.filter((r) => r.problem).length;
  const groups = new Map<string, Concentration>();
  for (const r of rows) {
    const key = keyOf(r);
    if (!key) continue;
    const g = groups.get(key) ?? {
      key,
      name: names.get(key),
      problemEnterprises: 0,
      warnings: 0,
      overdueWarnings: 0,
      sharePercent: 0,
    };
    if (r.problem) g.problemEnterprises++;
    g.warnings += r.warnings;
    g.overdueWarnings += r.overdueWarningCount;
    groups.set(key, g);
  }
  return [...groups.values()]
    .filter((g) => g.problemEnterprises > 0 || g.warnings > 0)
    .map((g) => ({ ...g, sharePercent: total ? round2((100 * g.problemEnterprises) / total) : 0 }))
    .sort(
      (a, b) => b.problemEnterprises - a.problemEnterprises || b.warnings - a.warnings || a.key.localeCompare(b.key),
    )
    .slice(0, limit);
}

export function monthlyBulletin(input: {
  enterprises: BulletinEnterprise[];
  districts: BulletinRegion[];
  regionNames: Map<string, string>;
  industryNames?: Map<string, string>;
  size?: number;
}): Bulletin {
  const size = input.size ?? 10;
  const ranked = rankEnterprises(input.enterprises);
  return {
    top: ranked.slice(0, size),
    bottom: ranked.length > size ? ranked.slice(-size).reverse() : [],
    regions: rankRegions(input.districts),
    concentration: {
      byRegion: concentration(input.enterprises, (r) => r.regionPath?.[1], input.regionNames),
      byIndustry: concentration(input.enterprises, (r) => r.industry, input.industryNames ?? new Map<string, string>()),
    },
    problemEnterprises: input.enterprises.filter((r) => r.problem).length,
  };
}
