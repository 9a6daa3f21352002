/** The few Handlebars helpers templates may use: words, dates in Asia/Shanghai, level colours. */
import type { HelperOptions } from 'handlebars';
import { BEIJING_TIME_ZONE } from '../domain/time';
import { translate, Lang } from './i18n';

const dateFmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: BEIJING_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** The page's language, from the render's root context (languageMiddleware sets it). */
function langOf(options: HelperOptions | undefined): Lang {
  return (options?.data as { root?: { lang?: Lang } } | undefined)?.root?.lang ?? 'zh-CN';
}
/** A value as text in a page (dates as ISO, nothing as empty). */
function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : JSON.stringify(v);
}

export const helpers = {
  t(this: unknown, key: string, options: HelperOptions) {
    return translate(langOf(options), key);
  },
  /** 2026-11-25 14:30:00 (Asia/Shanghai), from a Date or ISO string. */
  date(value: unknown) {
    if (!value) return '';
    const d = value instanceof Date ? value : new Date(value as string | number);
    return Number.isNaN(d.getTime()) ? '' : dateFmt.format(d).replace(/\//g, '-');
  },
  eq: (a: unknown, b: unknown) => a === b,
  /** {{#if (or a b)}}: any of its arguments (the last one is Handlebars' options). */
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  levelClass: (level: unknown) => (typeof level === 'string' ? `level-${level}` : 'level-none'),
  json: (v: unknown) => JSON.stringify(v, null, 2),
};

/** Countdowns to a deadline and overdue marking, language-aware. */
function dueParts(value: unknown): { ms: number } | undefined {
  if (!value) return undefined;
  const d = value instanceof Date ? value : new Date(value as string | number);
  return Number.isNaN(d.getTime()) ? undefined : { ms: d.getTime() - Date.now() };
}
function humanSpan(ms: number, lang: Lang): string {
  const m = Math.round(Math.abs(ms) / 60000);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const mm = m % 60;
  if (lang === 'en') return d ? `${d}d ${h}h` : h ? `${h}h ${mm}m` : `${mm}m`;
  return d ? `${d}天${h}小时` : h ? `${h}小时${mm}分` : `${mm}分钟`;
}
Object.assign(helpers, {
  /** "剩余 2小时5分" / "已超期 1天3小时" (en: "2h 5m left" / "overdue 1d 3h"). */
  countdown(value: unknown, options: HelperOptions) {
    const p = dueParts(value);
    if (!p) return '';
    const lang = langOf(options);
    const span = humanSpan(p.ms, lang);
    if (p.ms < 0) return lang === 'en' ? `overdue ${span}` : `已超期 ${span}`;
    return lang === 'en' ? `${span} left` : `剩余 ${span}`;
  },
  /** CSS class for a deadline: due-overdue, due-soon (< 24 h), due-ok. */
  dueClass(value: unknown) {
    const p = dueParts(value);
    if (!p) return '';
    return p.ms < 0 ? 'due-overdue' : p.ms < 24 * 3600_000 ? 'due-soon' : 'due-ok';
  },
  /** The word of a level in the page's language (red → 红色/重大). */
  levelName(level: unknown, options: HelperOptions) {
    if (typeof level !== 'string') return '';
    return translate(langOf(options), `level.${level}`);
  },
  /** A path segment: ids with slashes (task ids) stay one segment. */
  enc: (v: unknown) => encodeURIComponent(text(v)),
  /** `selected` when the two are equal (filters keep their values). */
  selectedIf: (a: unknown, b: unknown) => (a !== undefined && text(a) === text(b) ? 'selected' : ''),
  /** Words looked up by a computed key: {{tk "caseType." type}}. */
  tk(prefix: string, key: unknown, options: HelperOptions) {
    return translate(langOf(options), `${prefix}${text(key)}`);
  },
});
