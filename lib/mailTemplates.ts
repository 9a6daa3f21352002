/**
 * Mail templates: templates/mail/<event>.hbs, a `subject:` front matter line then the HTML body.
 * Rendered with a private Handlebars instance (escaping on) and cached per file.
 */
import Handlebars from 'handlebars';
import fs from 'node:fs';
import path from 'node:path';
import { paths } from '../config';

const hb = Handlebars.create();
const cache = new Map<string, { subject: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate }>();

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

function load(event: string) {
  if (!/^[a-z0-9-]+$/.test(event)) throw new Error(`bad mail template name "${event}"`);
  let t = cache.get(event);
  if (!t) {
    const src = fs.readFileSync(path.join(paths.templates, 'mail', `${event}.hbs`), 'utf8');
    const m = /^---\nsubject:\s*(.+)\n---\n([\s\S]*)$/.exec(src);
    if (!m) throw new Error(`templates/mail/${event}.hbs must start with ---, subject: …, ---`);
    t = { subject: hb.compile(m[1], { noEscape: true }), html: hb.compile(m[2]) };
    cache.set(event, t);
  }
  return t;
}

export function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/h\d|\/li|\/tr)\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function renderMail(event: string, data: Record<string, unknown>): RenderedMail {
  const t = load(event);
  const html = t.html(data);
  return { subject: t.subject(data).trim(), html, text: htmlToText(html) };
}
