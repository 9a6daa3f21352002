/** zh-CN first, English second. Words live in templates/i18n/<lang>.json; templates use {{t "key"}}. */
import fs from 'node:fs';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { paths } from '../config';

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const dictionaries = new Map<Lang, Record<string, string>>();
export function dictionary(lang: Lang): Record<string, string> {
  let d = dictionaries.get(lang);
  if (!d) {
    d = JSON.parse(fs.readFileSync(path.join(paths.templates, 'i18n', `${lang}.json`), 'utf8')) as Record<
      string,
      string
    >;
    dictionaries.set(lang, d);
  }
  return d;
}

export function translate(lang: Lang, key: string): string {
  return dictionary(lang)[key] ?? dictionary('zh-CN')[key] ?? key;
}

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** ?lang=en switches and remembers the language in a cookie. */
export function languageMiddleware(req: Request, res: Response, next: NextFunction) {
  const asked = typeof req.query.lang === 'string' ? req.query.lang : undefined;
  let lang: Lang = 'zh-CN';
  if (asked && (LANGS as readonly string[]).includes(asked)) {
    lang = asked as Lang;
    res.cookie('lang', lang, { httpOnly: true, sameSite: 'lax', maxAge: 365 * 24 * 3600 * 1000 });
  } else {
    const c = cookie(req, 'lang');
    if (c && (LANGS as readonly string[]).includes(c)) lang = c as Lang;
  }
  res.locals.lang = lang;
  res.locals.otherLang = lang === 'zh-CN' ? 'en' : 'zh-CN';
  next();
}
