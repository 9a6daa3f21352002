/**
 * Page forms and payloads, read one way. `parse`: a payload through its zod schema (400 naming the field).
 * `formReader`: an administrator's HTML form (urlencoded, flat names; `group.N.field` for a row of a repeating
 * group such as contacts, indicators, cleaning items) read into its schema's shape, derived from the schema.
 * `fieldsOf` / `pageValues`: a task form's fields derived from its schema, and the posted values as it takes
 * them. Empty inputs are absent (optional fields stay unset); numbers are numbers when they read as one, and
 * otherwise stay text so the schema names the field. Pure: no I/O.
 */
import { z } from 'zod';
import { beijingLocalInstant } from '../domain/time';
import { fromZod, type HttpError } from './errors';

export type FormBody = Record<string, unknown>;

/** A trimmed value, or undefined when empty. */
export function text(v: unknown): string | undefined {
  const s: unknown = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s.trim() ? s.trim() : undefined;
}

/** A number when the input reads as one, undefined when empty, else the text itself (refused by the schema, naming the field). */
export function num(v: unknown): number | string | undefined {
  const s = text(v);
  if (s === undefined) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : s;
}

/** Every value of a repeated field (checkboxes, multi-selects), empty ones dropped. */
export function many(v: unknown): string[] {
  return (v === undefined ? [] : ([] as unknown[]).concat(v)).map(text).filter((s): s is string => s !== undefined);
}

/** A textarea of one entry per line (commas and semicolons also separate). */
export function lines(v: unknown): string[] {
  return (text(v) ?? '')
    .split(/[\r\n,，;；]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A checkbox: present and on. */
export function checked(v: unknown): boolean {
  return ([] as unknown[]).concat(v ?? []).some((x) => x === 'on' || x === 'true' || x === '1');
}

/**
 * The rows `prefix.N.<field>` of a repeating group in the order of N, each read by `read`; rows
 * whose inputs are all empty are dropped. A refusal re-renders the kept rows, so the schema's
 * index (e.g. `indicators.1.alarmHigh`) is the row shown second.
 */
export function rows<T>(
  body: FormBody,
  prefix: string,
  fields: readonly string[],
  read: (row: Record<string, unknown>) => T,
): T[] {
  const indexes = new Set<number>();
  const re = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d{1,3})\\.`);
  for (const k of Object.keys(body)) {
    const m = re.exec(k);
    if (m) indexes.add(Number(m[1]));
  }
  return [...indexes]
    .sort((a, b) => a - b)
    .map((i) => Object.fromEntries(fields.map((f) => [f, body[`${prefix}.${i}.${f}`]])))
    .filter((row) => Object.values(row).some((v) => text(v) !== undefined))
    .map(read);
}

/** What a template needs to show a refusal: the message, the field, and `invalid.<top>` for aria-invalid. */
export interface FormError {
  error: string;
  field?: string;
  invalid: Record<string, boolean>;
}

export function formError(e: HttpError): FormError {
  const invalid: Record<string, boolean> = {};
  if (e.field) invalid[e.field.split('.')[0]] = true;
  return { error: e.message, field: e.field, invalid };
}

/**
 * Rows for a repeating group in a form: the given ones, each with `_invalid.<field>` when the
 * refusal named `group.N.<field>`, then `blank` empty rows to add more.
 */
export function formRows<T extends object>(
  group: string,
  given: T[],
  field: string | undefined,
  blank: number,
): (T & { _i: number; _invalid: Record<string, boolean> })[] {
  const m = field ? new RegExp(`^${group.replace(/\./g, '\\.')}\\.(\\d+)(?:\\.(.+))?$`).exec(field) : null;
  const list = [...given, ...Array.from({ length: blank }, () => ({}) as T)];
  return list.map((row, i) => ({ ...row, _i: i, _invalid: m && Number(m[1]) === i ? { [m[2] ?? '_row']: true } : {} }));
}

/** Checkbox or select options with their state: `{value, on}`. */
export function options(
  all: readonly string[],
  chosen: readonly string[] | string | undefined,
): { value: string; on: boolean }[] {
  const set = new Set(([] as string[]).concat(chosen ?? []));
  return all.map((value) => ({ value, on: set.has(value) }));
}

/** `{a: {b: {c: true}}}` for the field `a.b.c`: `{{#if invalid.weekly.offlineRatePercent}}` in a template. */
export function nestedInvalid(field: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!field) return out;
  let at = out;
  const parts = field.split('.');
  parts.forEach((part, i) => {
    if (i === parts.length - 1) at[part] = true;
    else at = at[part] = {};
  });
  return out;
}

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  writeOnly?: boolean;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
};

/**
 * The reader of an administrator's form for an object schema, derived from the schema (no field list restated):
 * booleans are checkboxes, numbers read as numbers, a list of choices is a multi-select, a list of texts a
 * textarea of lines, a list of objects a repeating group `name.N.field`; a write-only field (a password) is
 * kept as typed; every other value is trimmed text.
 */
export function formReader(schema: z.ZodType): (body: FormBody) => Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return (body) => readObject(json, body);
}
function readObject(schema: JsonSchema, body: FormBody): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([name, p]) => [name, readValue(p, name, body)]),
  );
}
function readValue(p: JsonSchema, name: string, body: FormBody): unknown {
  const v = body[name];
  if (p.writeOnly) return typeof v === 'string' ? v : undefined;
  if (p.type === 'boolean') return checked(v);
  if (p.type === 'number' || p.type === 'integer') return num(v);
  if (p.type === 'array') {
    const item = p.items ?? {};
    if (item.type === 'object')
      return rows(body, name, Object.keys(item.properties ?? {}), (row) => readObject(item, row));
    return item.enum ? many(v) : lines(v);
  }
  return text(v);
}

/** The one way a payload is read: its schema's first problem is a 400 naming the field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input ?? {});
  if (!r.success) throw fromZod(r.error);
  return r.data;
}

/** A field of a page form, derived from the payload's schema (`fieldsOf`). */
export interface FormField {
  name: string;
  /** `lines`: a textarea whose lines become a list; `datetime-local`: Beijing time. */
  type: 'text' | 'textarea' | 'checkbox' | 'datetime-local' | 'lines' | 'number';
}

/** Strings longer than this are written in a textarea. */
const SHORT_TEXT_MAX = 200;

/**
 * The page form of an object schema, in its order: booleans are checkboxes, lists are lines,
 * numbers are numbers, instants (`format: date-time`) are Beijing date-times, long strings are textareas.
 */
export function fieldsOf(schema: z.ZodType): FormField[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, { type?: string; format?: string; maxLength?: number }>;
  };
  return Object.entries(json.properties ?? {}).map(([name, p]) => {
    if (p.type === 'boolean') return { name, type: 'checkbox' };
    if (p.type === 'array') return { name, type: 'lines' };
    if (p.type === 'number' || p.type === 'integer') return { name, type: 'number' };
    if (p.format === 'date-time') return { name, type: 'datetime-local' };
    return { name, type: (p.maxLength ?? Infinity) > SHORT_TEXT_MAX ? 'textarea' : 'text' };
  });
}

/** A datetime-local value has no offset: it is Beijing time (anything else is left for the schema to judge). */
export function beijingInstant(v: unknown): unknown {
  return (typeof v === 'string' && beijingLocalInstant(v)) || v;
}

/** A posted page form as its schema expects it: checkboxes as booleans, lines as lists, local times as instants; empty optional fields dropped. */
export function pageValues(fields: readonly FormField[], body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  delete out._csrf;
  for (const f of fields) {
    const v = out[f.name];
    if (f.type === 'checkbox') out[f.name] = v === 'on' || v === 'true' || v === true;
    else if (f.type === 'lines')
      out[f.name] =
        typeof v === 'string'
          ? v
              .split(/\r?\n/)
              .map((x) => x.trim())
              .filter(Boolean)
          : v;
    else if (v === '') delete out[f.name];
    else if (f.type === 'datetime-local') out[f.name] = beijingInstant(v);
  }
  return out;
}
