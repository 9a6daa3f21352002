/** One shape for every refusal: JSON {error, field?} for the API, a page for people. */
import type { NextFunction, Request, Response } from 'express';
import { ZodError } from 'zod';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The first problem of a schema, as a 400 naming its field. */
export function fromZod(err: ZodError): HttpError {
  const issue = err.issues[0];
  const field = issue?.path.join('.') || undefined;
  return new HttpError(400, field ? `${field}: ${issue.message}` : (issue?.message ?? 'invalid input'), field);
}

export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof ZodError) return fromZod(err);
  const e = err as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.parse.failed') return new HttpError(400, 'request body is not valid JSON');
  if (e?.type === 'entity.too.large') return new HttpError(413, 'request body is too large');
  return new HttpError(500, 'internal error');
}

export function wantsJson(req: Request): boolean {
  return (
    req.path.startsWith('/api/') || req.path === '/health' || (req.headers.accept ?? '').startsWith('application/json')
  );
}

export function errorHandler(log: { error(m: string, f?: Record<string, unknown>): void }) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const http = toHttpError(err);
    if (http.status >= 500) log.error('request failed', { method: req.method, path: req.path, err });
    res.status(http.status).set(http.headers);
    if (wantsJson(req)) res.json(http.field ? { error: http.message, field: http.field } : { error: http.message });
    else res.render('pages/error', { status: http.status, message: http.message, field: http.field });
  };
}
