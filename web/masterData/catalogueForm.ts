/**
 * The indicator catalogue as master data serves it (`GET /api/v1/indicator-catalogues/{industry}`), and the device forms' indicator catalogue (监测指标目录, domain/indicators), without a script (the CSP forbids them): each
 * indicator row offers the enterprise's industry's entries as a select, and the form's 从目录填入 button posts the form
 * back to be shown again with every picked row's empty fields filled from the pick's draft — nothing is saved.
 */
import {
  CATALOGUE_VERSION,
  INDICATOR_CATALOGUES,
  draftIndicator,
  hasCatalogue,
  indicatorsOf,
  type IndicatorDraft,
} from '../../domain/indicators';
import { INDUSTRIES, type Industry } from '../../domain/masterData';
import { HttpError } from '../errors';
import type { FormBody } from '../forms';

/** An industry's catalogue: its entries as the domain keeps them (sources included), each with its draft. */
export function catalogueOf(industry: string) {
  if (!(INDUSTRIES as readonly string[]).includes(industry))
    throw new HttpError(400, `industry: must be one of ${INDUSTRIES.join(', ')}`, 'industry');
  const ofIndustry = hasCatalogue(industry) ? INDICATOR_CATALOGUES[industry] : undefined;
  return {
    industry,
    version: CATALOGUE_VERSION,
    ...(ofIndustry ? { name: ofIndustry.zh, nameEn: ofIndustry.en, scope: ofIndustry.scope } : {}),
    indicators: indicatorsOf(industry as Industry).map((e) => ({ ...e, draft: draftIndicator(e) })),
  };
}

/** The button's name: a post with it fills the rows and shows the form again. */
export const FILL_FROM_CATALOGUE = 'fromCatalogue';
export const fillsFromCatalogue = (body: FormBody): boolean => body[FILL_FROM_CATALOGUE] !== undefined;

/** The select's options: the industry's entries (empty for an industry without a catalogue). */
export function catalogueChoices(industry: Industry): { code: string; zh: string; en: string }[] {
  return indicatorsOf(industry).map((e) => ({ code: e.code, zh: e.zh, en: e.en }));
}

/** The fields a draft fills when the row leaves them empty. */
const DRAFTED = [
  'code',
  'name',
  'kind',
  'unit',
  'intervalSec',
  'alarmLowLow',
  'alarmLow',
  'alarmHigh',
  'alarmHighHigh',
  'rangeMin',
  'rangeMax',
] as const satisfies readonly (keyof IndicatorDraft)[];

export interface CatalogueFill {
  /** 1-based, as the page shows the rows. */
  row: number;
  name: string;
  /** What the enterprise must still enter (its design values), among what the row leaves empty. */
  enterpriseSets: string[];
}

/** The rows with each pick's empty fields filled from its draft, and what each filled row still needs. */
export function fillFromCatalogue(
  rows: Record<string, unknown>[],
  industry: Industry,
): { rows: Record<string, unknown>[]; filled: CatalogueFill[] } {
  const entries = indicatorsOf(industry);
  const filled: CatalogueFill[] = [];
  const out = rows.map((row, i) => {
    const entry = entries.find((e) => e.code === row.catalogueCode);
    if (!entry) return row;
    const draft = draftIndicator(entry);
    const next = { ...row };
    const empty = (f: string) => next[f] === undefined || next[f] === '';
    for (const f of DRAFTED) if (empty(f) && draft[f] !== undefined && draft[f] !== '') next[f] = draft[f];
    filled.push({ row: i + 1, name: entry.zh, enterpriseSets: draft.enterpriseSets.filter(empty) });
    return next;
  });
  return { rows: out, filled };
}
