/**
 * A list written as a file while it is read: CSV (UTF-8 with a byte-order mark, so Excel opens the Chinese
 * right; RFC 4180 quoting) row by row with the response's backpressure, or Excel through exceljs' streaming
 * WorkbookWriter (each row committed as it comes, nothing of the sheet kept). The headers are Chinese; times
 * are Beijing's, written by the column (web/exports/service.ts).
 */
import ExcelJS from 'exceljs';
import type { Response } from 'express';
import { once } from 'node:events';
import { HttpError } from '../errors';

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export type Cell = string | number | undefined;
export interface Column<R> {
  header: string;
  value: (row: R) => Cell;
  /** Column width in characters (Excel). */
  width?: number;
}

/** What a list export writes: the file's name (ASCII, dated), the sheet's name, its columns and its rows. */
export interface ExportTable<R> {
  fileName: string;
  sheet: string;
  columns: Column<R>[];
  /** Read as they are written: a cursor (or the rows of a document already read). */
  rows: AsyncIterable<R> | Iterable<R>;
}

/** `format` of the query: xlsx (the default) or csv; anything else is a 400 naming the field. */
export function exportFormat(query: Record<string, unknown>): ExportFormat {
  const f = query.format ?? 'xlsx';
  if (typeof f !== 'string' || !(EXPORT_FORMATS as readonly string[]).includes(f))
    throw new HttpError(400, `format: must be one of ${EXPORT_FORMATS.join(', ')}`, 'format');
  return f as ExportFormat;
}

const csvField = (v: Cell): string => {
  let s = v === undefined ? '' : String(v);
  // Text a spreadsheet would run as a formula (an enterprise's name, a case title) stays text (OWASP CSV injection).
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
/** One CSV record: RFC 4180 quoting, CRLF. */
export const csvLine = (cells: Cell[]) => `${cells.map(csvField).join(',')}\r\n`;

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Streams the table to the response in the format asked for. */
export async function sendExport<R>(res: Response, format: ExportFormat, table: ExportTable<R>): Promise<void> {
  const name = `${table.fileName}.${format}`;
  const zhName = `${table.sheet}.${format}`;
  res.status(200);
  res.setHeader('Content-Type', CONTENT_TYPES[format]);
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(zhName)}`,
  );
  res.setHeader('Cache-Control', 'no-store');
  try {
    await (format === 'csv' ? sendCsv(res, table) : sendXlsx(res, table));
  } catch (err) {
    // Once the first bytes are out no error page can follow: the download is cut off, never a silent partial file.
    if (!res.headersSent) throw err;
    res.destroy(err as Error);
  }
}

async function sendCsv<R>(res: Response, table: ExportTable<R>): Promise<void> {
  const write = async (chunk: string) => {
    if (!res.write(chunk)) await once(res, 'drain');
  };
  await write(`\uFEFF${csvLine(table.columns.map((c) => c.header))}`);
  for await (const row of table.rows) await write(csvLine(table.columns.map((c) => c.value(row))));
  res.end();
}

async function sendXlsx<R>(res: Response, table: ExportTable<R>): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(table.sheet);
  sheet.columns = table.columns.map((c) => ({ header: c.header, width: c.width ?? 16 }));
  for await (const row of table.rows) sheet.addRow(table.columns.map((c) => c.value(row) ?? null)).commit();
  sheet.commit();
  await workbook.commit();
}

/** The URLs of a page's two files: its query (without `page`) plus the format. */
export function exportLinks(path: string, query: Record<string, unknown>): Record<ExportFormat, string> {
  const q = new URLSearchParams(
    Object.entries(query).filter(
      (e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '' && !['page', 'format'].includes(e[0]),
    ),
  );
  const url = (format: ExportFormat) => {
    const p = new URLSearchParams(q);
    p.set('format', format);
    return `${path}?${p.toString()}`;
  };
  return { xlsx: url('xlsx'), csv: url('csv') };
}
