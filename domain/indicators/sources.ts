/**
 * Where a catalogue entry or a risk-model factor comes from: a clause of a seed (the Chinese documents in
 * `docs/seeds`), quoted verbatim so a test can find it in the seed's text, or a national standard
 * that a seed names (cited `via` the seed sentence that names it). Pure data, shared by domain/indicators
 * and domain/risk.
 */

export const SEED_IDS = ['001', '002', '003', '004'] as const;
export type SeedId = (typeof SEED_IDS)[number];

/** A seed's title, as the explanation pages name it. */
export const SEED_TITLES: Record<SeedId, { zh: string; en: string }> = {
  '001': {
    zh: '应急厅函〔2023〕82号（粉尘涉爆企业监测预警系统）及其技术指导书',
    en: 'MEM letter 〔2023〕82 on dust-explosion monitoring, with its technical guide',
  },
  '002': {
    zh: '滨海新区大应急融合平台运行管理办法及附件',
    en: 'Binhai New Area emergency platform regulations and annexes',
  },
  '003': { zh: '安全生产信息化地方建设指导意见书', en: 'Local guidance on safety-production informatisation' },
  '004': {
    zh: '南应急发〔2024〕2号（钢铁和铝加工深井铸造监测预警）',
    en: 'Nanning 〔2024〕2 on steel and aluminium deep-well casting monitoring',
  },
};

/**
 * A clause of a seed. `marker` is a heading string that occurs in the seed's text (e.g. `（二）监测数据接入要求`)
 * and `quote` a verbatim excerpt found after it, inside the clause: both are checked against the seed file by
 * test/unit/indicatorCatalogues.test.ts and test/unit/riskModel.test.ts. `clause` is how people cite it.
 */
export interface SeedCitation {
  seed: SeedId;
  /** As people cite it: `附件 二（一）1`, `附件2 三（二）1）`, `第二十九条`. */
  clause: string;
  marker: string;
  quote: string;
}

/**
 * A national standard or ministry order that a seed names, and what it requires. The standard's text is not in
 * the seeds: `read` says where it was read (third-party reproductions found with the search tool), so a
 * reviewer knows how far to trust the item number.
 */
export interface StandardCitation {
  standard: string;
  clause: string;
  /** The seed sentence that names the standard (or the duty the standard spells out). */
  via: SeedCitation;
  /** What the standard requires, in our words. */
  requires: string;
  read: string;
}

export type Source = SeedCitation | StandardCitation;

export function isStandardCitation(s: Source): s is StandardCitation {
  return 'standard' in s;
}

/** `001 附件 二（一）1` or `GB/T 50493-2019 5.5.2（报警值设定）`: a source as a line of text. */
export function citationText(s: Source): string {
  return isStandardCitation(s) ? `${s.standard} ${s.clause}` : `${s.seed} ${s.clause}`;
}

/** Every seed citation inside a source (a standard's `via` included), for the tests that read the seeds. */
export function seedCitationsOf(s: Source): SeedCitation[] {
  return isStandardCitation(s) ? [s.via] : [s];
}

/** Where a seed excerpt sits: the quote must follow an occurrence of the marker within this many characters. */
export const QUOTE_WITHIN_CHARS = 3000;

/**
 * Whether a citation can be found in the seed's text: some occurrence of `marker` followed by `quote` within
 * QUOTE_WITHIN_CHARS characters. Line breaks in the seed are ignored (the seeds wrap mid-sentence).
 */
export function citationFoundIn(seedText: string, c: SeedCitation): boolean {
  const text = seedText.replace(/\s*\n\s*/g, '');
  let at = text.indexOf(c.marker);
  while (at >= 0) {
    const q = text.indexOf(c.quote, at);
    if (q >= 0 && q - at <= QUOTE_WITHIN_CHARS) return true;
    at = text.indexOf(c.marker, at + 1);
  }
  return false;
}
