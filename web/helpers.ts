/** The few Handlebars helpers templates may use: words, dates in Asia/Shanghai, level colours. */
import type { HelperOptions } from 'handlebars';
import { translate, Lang } from './i18n';

const dateFmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

export const helpers = {
  t(this: unknown, key: string, options: HelperOptions) {
    return translate((options.data?.root?.lang as Lang) ?? 'zh-CN', key);
  },
  /** 2026-11-25 14:30:00 (Asia/Shanghai), from a Date or ISO string. */
  date(value: unknown) {
    if (!value) return '';
    const d = value instanceof Date ? value : new Date(String(value));
    return Number.isNaN(d.getTime()) ? '' : dateFmt.format(d).replace(/\//g, '-');
  },
  eq: (a: unknown, b: unknown) => a === b,
  levelClass: (level: unknown) => (typeof level === 'string' ? `level-${level}` : 'level-none'),
  json: (v: unknown) => JSON.stringify(v, null, 2),
};
