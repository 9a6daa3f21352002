/**
 * Uploads (photos, PDFs): multipart parsed with a size cap, the type decided by magic bytes (not the
 * file name), stored under paths.uploads (outside the web root) with a small JSON of who may see it.
 * Served only to those allowed to see its enterprise.
 */
import busboy from 'busboy';
import type { Request } from 'express';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { canSeeEnterprise, Principal } from '../../domain/access';
import type { Models } from '../../models';
import { HttpError } from '../errors';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
export const UPLOAD_TYPES = {
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d],
} as const;
export type UploadType = keyof typeof UPLOAD_TYPES;

export interface UploadMeta {
  id: string;
  enterpriseId: string;
  caseId?: string;
  type: UploadType;
  name: string;
  size: number;
  uploadedBy: string;
  at: string;
}

/** The type of a file from its first bytes, or undefined when it is none of the accepted ones. */
export function sniff(head: Buffer): UploadType | undefined {
  for (const [type, magic] of Object.entries(UPLOAD_TYPES) as [UploadType, readonly number[]][]) {
    if (head.length >= magic.length && magic.every((b, i) => head[i] === b)) return type;
  }
  return undefined;
}

export interface ParsedMultipart {
  fields: Record<string, string>;
  file?: { field: string; name: string; data: Buffer };
  /** Every non-empty file in form order (`file` is the first). */
  files: { field: string; name: string; data: Buffer }[];
}

/**
 * Parses a multipart form with one optional file (or up to `maxFiles`; further files are ignored),
 * refusing a file larger than MAX_UPLOAD_BYTES (413; the error carries the fields read as `fields`,
 * so a page can show them again).
 */
export function parseMultipart(req: Request, opts: { maxFiles?: number } = {}): Promise<ParsedMultipart> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: { fileSize: MAX_UPLOAD_BYTES, files: opts.maxFiles ?? 1, fields: 50, fieldSize: 64 * 1024 },
      });
    } catch {
      return reject(new HttpError(400, 'the form is not valid multipart data'));
    }
    const out: ParsedMultipart = { fields: {}, files: [] };
    let failed: HttpError | undefined;
    bb.on('field', (name, value) => (out.fields[name] = value));
    bb.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on(
        'limit',
        () =>
          (failed = new HttpError(
            413,
            `${field}: the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`,
            field,
          )),
      );
      stream.on('end', () => {
        const data = Buffer.concat(chunks);
        if (data.length) out.files.push({ field, name: path.basename(info.filename || 'upload'), data });
        out.file = out.files[0];
      });
    });
    bb.on('error', () => reject(new HttpError(400, 'the form is not valid multipart data')));
    bb.on('close', () => (failed ? reject(Object.assign(failed, { fields: out.fields })) : resolve(out)));
    req.pipe(bb);
  });
}

export function createUploadService(deps: { models: Models; dir: string }) {
  const { models, dir } = deps;
  const file = (id: string) => path.join(dir, id);

  return {
    /** Checks type by magic bytes and stores the file for an enterprise (and case). */
    async store(
      p: Principal,
      enterpriseId: string,
      upload: { field: string; name: string; data: Buffer },
      caseId?: string,
    ): Promise<UploadMeta> {
      const type = sniff(upload.data.subarray(0, 16));
      if (!type)
        throw new HttpError(
          400,
          `${upload.field}: only JPEG, PNG or PDF files are accepted (checked by content, not name)`,
          upload.field,
        );
      const id = crypto.randomBytes(16).toString('hex');
      const meta: UploadMeta = {
        id,
        enterpriseId,
        caseId,
        type,
        name: upload.name.slice(0, 200),
        size: upload.data.length,
        uploadedBy: p.username,
        at: new Date().toISOString(),
      };
      await fs.promises.mkdir(dir, { recursive: true });
      await fs.promises.writeFile(file(id), upload.data, { mode: 0o600 });
      await fs.promises.writeFile(`${file(id)}.json`, JSON.stringify(meta), { mode: 0o600 });
      return meta;
    },

    /** The file and its meta, for a principal allowed to see its enterprise; 404 / 403 otherwise. */
    async open(p: Principal, id: string): Promise<{ meta: UploadMeta; path: string }> {
      if (!/^[0-9a-f]{32}$/.test(id)) throw new HttpError(404, `no upload ${id}`, 'id');
      let meta: UploadMeta;
      try {
        meta = JSON.parse(await fs.promises.readFile(`${file(id)}.json`, 'utf8')) as UploadMeta;
      } catch {
        throw new HttpError(404, `no upload ${id}`, 'id');
      }
      const ent = await models.Enterprise.findById(meta.enterpriseId, { regionPath: 1, industry: 1 }).lean();
      if (!ent || !canSeeEnterprise(p, ent))
        throw new HttpError(403, `upload ${id} belongs to an enterprise outside your jurisdiction`, 'id');
      return { meta, path: file(id) };
    },
  };
}
export type UploadService = ReturnType<typeof createUploadService>;
