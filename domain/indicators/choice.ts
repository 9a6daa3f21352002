/**
 * Picking an indicator from an industry's catalogue: what an industry offers, the draft master-data
 * indicator a pick starts from, and the problems of a pick (each naming its field). Master data
 * calls them for an indicator with a `catalogueCode` (web/masterData) and its device forms offer `indicatorsOf`. Pure.
 */
import type { Industry } from '../masterData';
import {
  CATALOGUE_VERSION,
  CATALOGUE_INDUSTRIES,
  INDICATOR_CATALOGUES,
  REPORTING_INTERVAL,
  type CatalogueIndicator,
  type CatalogueIndustry,
  type ThresholdField,
} from './catalogues';
import { citationText } from './sources';

export interface FieldProblem {
  field: string;
  message: string;
}

export function hasCatalogue(industry: string): industry is CatalogueIndustry {
  return (CATALOGUE_INDUSTRIES as readonly string[]).includes(industry);
}

/** The catalogue indicators an enterprise of this industry picks from; empty for an industry without one. */
export function indicatorsOf(industry: Industry): readonly CatalogueIndicator[] {
  return hasCatalogue(industry) ? INDICATOR_CATALOGUES[industry].indicators : [];
}

/** A catalogue entry by its code, in any industry's catalogue. */
export function catalogueIndicator(code: string): CatalogueIndicator | undefined {
  for (const industry of CATALOGUE_INDUSTRIES) {
    const found = INDICATOR_CATALOGUES[industry].indicators.find((i) => i.code === code);
    if (found) return found;
  }
  return undefined;
}

/**
 * An enterprise's pick: the catalogue entry, and the values it sets (its design values where the
 * catalogue says `setBy: 'enterprise'`, at most a standard's ceiling where one is given).
 */
export interface IndicatorChoice {
  catalogueCode: string;
  unit?: string;
  alarmLow?: number;
  alarmHigh?: number;
  alarmLowLow?: number;
  alarmHighHigh?: number;
  rangeMin?: number;
  rangeMax?: number;
}

const withUnit = (n: number, unit: string | undefined) => (unit ? `${n} ${unit}` : String(n));

const THRESHOLD_FIELDS: ThresholdField[] = ['alarmLowLow', 'alarmLow', 'alarmHigh', 'alarmHighHigh'];

/**
 * Why a pick is refused (empty when it is acceptable): an entry not in the industry's catalogue, thresholds on
 * a fault or on/off alarm (a status, not a value), another unit than the catalogue's, a threshold above a
 * standard's ceiling, a measurement range beyond what the unit allows. Threshold order and the reporting
 * interval stay master data's checks (indicatorThresholdProblems).
 */
export function validateIndicatorChoice(industry: Industry, choice: IndicatorChoice): FieldProblem[] {
  if (!hasCatalogue(industry))
    return [{ field: 'catalogueCode', message: `industry ${industry} has no indicator catalogue: type the indicator` }];
  const entry = INDICATOR_CATALOGUES[industry].indicators.find((i) => i.code === choice?.catalogueCode);
  if (!entry)
    return [
      {
        field: 'catalogueCode',
        message: `"${String(choice?.catalogueCode)}" is not in the ${INDICATOR_CATALOGUES[industry].zh} catalogue (version ${CATALOGUE_VERSION})`,
      },
    ];
  const out: FieldProblem[] = [];
  if (entry.signal !== 'value') {
    for (const field of [...THRESHOLD_FIELDS, 'rangeMin', 'rangeMax'] as const) {
      if (choice[field] !== undefined)
        out.push({
          field,
          message: `${entry.zh} is a ${entry.signal === 'fault' ? 'fault' : 'on/off alarm'} status, not a value: it takes no ${field}`,
        });
    }
    return out;
  }
  if (entry.unit !== undefined && choice.unit !== undefined && choice.unit !== entry.unit)
    out.push({ field: 'unit', message: `${entry.zh} is reported in ${entry.unit}` });
  for (const field of THRESHOLD_FIELDS) {
    const setting = entry.thresholds?.[field];
    const value = choice[field];
    if (value === undefined || setting?.setBy !== 'standard') continue;
    if (value > setting.value)
      out.push({
        field,
        message: `${field} must be at most ${withUnit(setting.value, entry.unit)} (${citationText(setting.source)}: ${setting.source.requires})`,
      });
  }
  if (entry.range?.setBy === 'unit') {
    if (choice.rangeMin !== undefined && choice.rangeMin < entry.range.min)
      out.push({ field: 'rangeMin', message: `rangeMin must not be below ${withUnit(entry.range.min, entry.unit)}` });
    if (choice.rangeMax !== undefined && choice.rangeMax > entry.range.max)
      out.push({ field: 'rangeMax', message: `rangeMax must not be above ${withUnit(entry.range.max, entry.unit)}` });
  }
  return out;
}

/** The master-data indicator a pick starts from: names, kind, unit, the interval, and only the figures a source gives. */
export interface IndicatorDraft {
  catalogueCode: string;
  catalogueVersion: number;
  /** Device-local code suggestion (the catalogue code without its group). */
  code: string;
  name: string;
  nameEn: string;
  kind: CatalogueIndicator['kind'];
  signal: CatalogueIndicator['signal'];
  unit: string;
  intervalSec: number;
  alarmHigh?: number;
  alarmHighHigh?: number;
  alarmLow?: number;
  alarmLowLow?: number;
  rangeMin?: number;
  rangeMax?: number;
  /** The settings the enterprise must still give (its design values). */
  enterpriseSets: string[];
}

export function draftIndicator(entry: CatalogueIndicator): IndicatorDraft {
  const draft: IndicatorDraft = {
    catalogueCode: entry.code,
    catalogueVersion: CATALOGUE_VERSION,
    code: entry.code.slice(entry.code.indexOf('.') + 1).slice(0, 32),
    name: entry.zh,
    nameEn: entry.en,
    // Master data's kind `fault` is what makes ingestion read the indicator as a status (web/monitoring/faults.ts).
    kind: entry.signal === 'fault' ? 'fault' : entry.kind,
    signal: entry.signal,
    unit: entry.unit ?? '',
    intervalSec: REPORTING_INTERVAL.normalSec,
    enterpriseSets: [],
  };
  if (entry.signal !== 'value') return draft;
  if (entry.unit === undefined) draft.enterpriseSets.push('unit');
  for (const field of THRESHOLD_FIELDS) {
    const s = entry.thresholds?.[field];
    if (s?.setBy === 'standard') draft[field] = s.value;
    else if (s?.setBy === 'enterprise') draft.enterpriseSets.push(field);
  }
  if (entry.range?.setBy === 'unit') {
    draft.rangeMin = entry.range.min;
    draft.rangeMax = entry.range.max;
  } else draft.enterpriseSets.push('rangeMin', 'rangeMax');
  return draft;
}

/**
 * A device's fault report 故障: a status of a `fault` catalogue indicator, not a value. `fault` opens an alarm case
 * of its own kind (the enterprise verifies whether the equipment failed and repairs it: 001 二（三）, 002 第二十五条);
 * `cleared` is the device saying it works again. On the wire: a reading item `status: 'fault' | 'ok'` of an indicator of
 * kind `fault` (web/monitoring/faults.ts), the case workflows/deviceFault.ts.
 */
export interface FaultReport {
  deviceCode: string;
  indicator: string;
  ts: string;
  state: 'fault' | 'cleared';
}

/** Whether a catalogue indicator reports a status (fault or on/off alarm) rather than a value. */
export function isStatusIndicator(entry: CatalogueIndicator): boolean {
  return entry.signal !== 'value';
}
