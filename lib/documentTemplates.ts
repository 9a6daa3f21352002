/**
 * The one template engine for official documents: templates/documents/<name>.hbs (Handlebars, plain
 * text, paragraphs separated by a blank line) filled with the facts of the case, plus the legal
 * basis of the kind from templates/documents/legal-basis.json. Output is text for the PDF layout.
 */
import Handlebars from 'handlebars';
import fs from 'node:fs';
import path from 'node:path';
import { paths } from '../config';
import { DOCUMENT_KIND_INFO, DOCUMENT_KINDS, DocumentKind } from '../domain/documents';

const hb = Handlebars.create();
const cache = new Map<string, HandlebarsTemplateDelegate>();
let legalBasis: Record<DocumentKind, string[]> | undefined;

function template(kind: DocumentKind): HandlebarsTemplateDelegate {
  const name = DOCUMENT_KIND_INFO[kind].template;
  let t = cache.get(name);
  if (!t) {
    t = hb.compile(fs.readFileSync(path.join(paths.templates, 'documents', `${name}.hbs`), 'utf8'), {
      noEscape: true,
      strict: false,
    });
    cache.set(name, t);
  }
  return t;
}

/** The legal basis per kind; a kind missing from the file is an installation defect, reported by name. */
export function legalBasisOf(kind: DocumentKind): string[] {
  if (!legalBasis) {
    const raw = JSON.parse(
      fs.readFileSync(path.join(paths.templates, 'documents', 'legal-basis.json'), 'utf8'),
    ) as Record<string, unknown>;
    for (const k of DOCUMENT_KINDS) {
      const v = raw[k];
      if (!Array.isArray(v) || !v.length || v.some((x) => typeof x !== 'string' || !x.trim()))
        throw new Error(`templates/documents/legal-basis.json: "${k}" must be a non-empty list of texts`);
    }
    legalBasis = raw as Record<DocumentKind, string[]>;
  }
  return legalBasis[kind];
}

/** The body paragraphs of a document of this kind with these facts. */
export function renderDocumentBody(kind: DocumentKind, facts: Record<string, string>): string[] {
  return template(kind)(facts)
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, '').trim())
    .filter(Boolean);
}
