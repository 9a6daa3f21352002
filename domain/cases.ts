/**
 * Case kinds, levels and the case timeline: the vocabulary every layer shares.
 * Pure and deterministic: imported by workflows as well as by activities and web.
 */

/** Every kind of case warnflow runs as a workflow. Stable words: stored and exposed in the API. */
export const CASE_TYPES = [
  'demo',
  'monitoring_alarm',
  'risk_warning',
  'device_offline',
  'work_permit',
  'onsite_supervision',
  'interview',
  'penalty',
  'emergency_response',
  /** A permit's missed clock (guardian check-in, re-analysis) or expiry without acceptance: workflows/permit.ts. */
  'permit_conduct_alarm',
  /** A device's fault status 设备故障 (a status, not a value): workflows/deviceFault.ts. */
  'device_fault',
  /** A key enforcement target's on-site enforcement inspection 现场执法检查 (002 第三十、三十一条): workflows/enforcementInspection.ts. */
  'enforcement_inspection',
] as const;
export type CaseType = (typeof CASE_TYPES)[number];

/** Risk levels, highest first (seed 002, 第二十条). */
export const LEVELS = ['red', 'orange', 'yellow', 'blue'] as const;
export type Level = (typeof LEVELS)[number];

/** A level's colour word, as warnings are named to people (红色风险预警). */
export const LEVEL_ZH: Record<Level, string> = { red: '红色', orange: '橙色', yellow: '黄色', blue: '蓝色' };
/** A level's risk word (seed 002, 第二十条: 重大/较大/一般/低风险), as reports count warnings. */
export const LEVEL_RISK_ZH: Record<Level, string> = { red: '重大', orange: '较大', yellow: '一般', blue: '低' };
/** A level's colour in the PDF reports' charts. */
export const LEVEL_COLOURS: Record<Level, string> = {
  red: '#d9363e',
  orange: '#f08c00',
  yellow: '#e6b800',
  blue: '#1c7ed6',
};

export const CASE_STATUSES = ['open', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/**
 * One entry of a case's timeline. `key` makes writing it idempotent: an activity retried after a
 * crash writes the same key and the projection keeps one entry.
 */
export interface TimelineEntry {
  key: string;
  at: string; // ISO-8601 instant
  kind: string; // stable word, e.g. opened, notified, notice_issued, level_changed, cleared
  actor: string; // 'system' or a user/agency id
  recipients?: string[];
  detail?: string;
  /** Upload ids attached to the step (e.g. a warning feedback's photos and PDFs). */
  attachments?: string[];
}

export interface Deadline {
  kind: string;
  due: string; // ISO-8601 instant
}

export function isLevel(v: unknown): v is Level {
  return typeof v === 'string' && (LEVELS as readonly string[]).includes(v);
}

/** An instant as it appears in case ids: `2026-11-25T06:30:00.123Z` → `20261125T063000Z` (seconds). */
export function compactInstant(iso: string): string {
  return iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Workflow IDs carry meaning so that signal-with-start never opens a duplicate. */
export const caseIds = {
  demo: (suffix: string) => `demo/${suffix}`,
  /** The monitoring-alarm workflow of one device indicator (one case at a time). */
  monitoringAlarm: (deviceCode: string, indicator: string) => `alarm/${deviceCode}/${indicator}`,
  /** The fault case of one device's fault indicator (one at a time: a repeated fault report coalesces). */
  deviceFault: (deviceCode: string, indicator: string) => `fault/${deviceCode}/${indicator}`,
  /** The offline workflow of one sensor device or video channel. */
  deviceOffline: (sourceKind: 'sensor' | 'video', sourceId: string) =>
    sourceKind === 'sensor' ? `offline/${sourceId}` : `offline/video/${sourceId}`,
  /** The one offline sweeper of a task queue. */
  offlineSweeper: (taskQueue: string) => `offline-sweeper/${taskQueue}`,
  suspensionRequest: (enterpriseId: string, suffix: string) => `suspension/${enterpriseId}/${suffix}`,
  /** The one open risk warning of an enterprise (signal-with-start); its case record id adds the opening instant. */
  riskWarning: (enterpriseId: string) => `risk-warning/${enterpriseId}`,
} as const;
