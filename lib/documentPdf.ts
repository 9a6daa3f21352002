/**
 * Lays out an official document as a PDF (pdfkit, CJK font embedded and subset): the issuing
 * agency's red header and rule, the number, the title, the addressee, the body from its template,
 * the legal basis, the issuing agency and date, and a footer naming the case. One layout for every kind.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { CJK_FONT, CJK_FONT_BOLD } from './cjkFont';
import { legalBasisOf, renderDocumentBody } from './documentTemplates';
import { DOCUMENT_KIND_INFO, DocumentKind } from '../domain/documents';
import { chineseDate } from '../domain/time';

export interface DocumentLayoutInput {
  kind: DocumentKind;
  number: string;
  agencyName: string;
  toName: string;
  issuedAt: string;
  caseId: string;
  facts: Record<string, string>;
}

export async function renderDocumentPdf(input: DocumentLayoutInput, outPath: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(outPath), { recursive: true });
  const info = DOCUMENT_KIND_INFO[input.kind];
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 72, bottom: 72, left: 78, right: 78 },
    info: { Title: `${info.zh} ${input.number}`, Author: input.agencyName, Subject: input.caseId },
  });
  doc.registerFont('body', CJK_FONT);
  doc.registerFont('bold', CJK_FONT_BOLD);
  // Written to a temporary name then renamed: a crash never leaves a half PDF under the final name.
  // Unique per drawing: two readers (or a retry) drawing the same document at once each write their own file;
  // the renames are atomic and the documents identical.
  const tmp = `${outPath}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  const out = fs.createWriteStream(tmp);
  const finished = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  doc.pipe(out);
  const width = doc.page.width - 78 * 2;

  // 红头: the issuing agency in red, a red rule, the number under it.
  doc.font('bold').fontSize(22).fillColor('#c8102e').text(input.agencyName, { align: 'center' });
  doc.moveDown(0.3);
  const ruleY = doc.y;
  doc
    .moveTo(78, ruleY)
    .lineTo(78 + width, ruleY)
    .lineWidth(1.5)
    .strokeColor('#c8102e')
    .stroke();
  doc
    .fillColor('black')
    .font('body')
    .fontSize(12)
    .text(input.number, 78, ruleY + 8, { width, align: 'center' });
  doc.moveDown(1.2);
  doc.font('bold').fontSize(20).text(info.zh, { align: 'center' });
  doc.moveDown(1);
  doc.font('body').fontSize(13).text(`${input.toName}：`);
  doc.moveDown(0.4);
  for (const p of renderDocumentBody(input.kind, {
    ...input.facts,
    caseId: input.caseId,
    agencyName: input.agencyName,
    toName: input.toName,
  })) {
    doc.text(p, { indent: 26, lineGap: 4, align: 'justify' });
    doc.moveDown(0.4);
  }
  doc.moveDown(0.4);
  doc.font('bold').fontSize(12).text('依据：');
  doc.font('body').fontSize(11);
  for (const b of legalBasisOf(input.kind)) doc.text(b, { indent: 22, lineGap: 3 }).moveDown(0.2);
  doc.moveDown(1.5);
  doc.fontSize(13).text(input.agencyName, { align: 'right' });
  doc.text(chineseDate(input.issuedAt), { align: 'right' });
  doc.moveDown(2);
  doc
    .fontSize(9)
    .fillColor('#555')
    .text(`本文书由 warnflow 生成 · ${info.zh} ${input.number} · 案件 ${input.caseId}`, { align: 'center' });
  doc.end();
  await finished;
  await fs.promises.rename(tmp, outPath);
}

/** Where a document's PDF lives, relative to the documents folder: one file per document, named by its id. */
export function documentFile(doc: { _id: string; year: number }): string {
  return `${doc.year}/${doc._id.replace(/[^A-Za-z0-9._-]+/g, '_')}.pdf`;
}

/**
 * The PDF of a stored document, drawn when missing (a document is numbered and stored first; drawing
 * can wait for the first reader): the same facts draw the same document. Returns the absolute path.
 */
export async function drawStoredDocument(
  doc: {
    _id: string;
    kind: DocumentKind;
    number: string;
    year: number;
    agencyId: string;
    toName?: string;
    toId?: string;
    enterpriseId: string;
    issuedAt: Date;
    caseId: string;
    facts: Record<string, string>;
    file?: string;
  },
  dir: string,
): Promise<{ file: string; path: string }> {
  const file = doc.file ?? documentFile(doc);
  const abs = path.join(dir, file);
  if (!fs.existsSync(abs)) {
    await renderDocumentPdf(
      {
        kind: doc.kind,
        number: doc.number,
        agencyName: doc.facts.agencyName ?? doc.agencyId,
        toName: doc.toName ?? doc.toId ?? doc.enterpriseId,
        issuedAt: doc.issuedAt.toISOString(),
        caseId: doc.caseId,
        facts: doc.facts,
      },
      abs,
    );
  }
  return { file, path: abs };
}
