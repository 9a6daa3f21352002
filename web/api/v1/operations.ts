/**
 * An API operation is declared once: its path, who may call it, its zod schemas (query, body, each
 * response) and its handler. The declaration registers the Express route, puts the role check in
 * front, hands the handler the schemas' parse, and is what the OpenAPI document (./openapi.ts) and the
 * reference page are generated from. test/unit/openapi.test.ts fails when a route has no declaration.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Principal } from '../../../domain/access';
import type { UserRole } from '../../../domain/masterData';
import { requireRole } from '../../access/auth';
import { parse } from '../../forms';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  /** The JSON body (absent for 204 and for files). */
  schema?: z.ZodType;
  /** A file's media type instead of JSON (`application/pdf`). */
  file?: string;
}

export interface OperationSpec<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  summary: string;
  description?: string;
  /** How the caller is known: a user's bearer token (default), the enterprise's data-interface key, or not at all. */
  auth?: 'bearer' | 'dataKey' | 'none';
  /** The roles that may call (every signed-in role when absent); checked before the handler. */
  roles?: UserRole[];
  /**
   * The Express route when it is not the path with `:param`s: a RegExp when a path parameter holds slashes
   * (case, task, report ids; capture groups in path order), or a string naming its parameters otherwise.
   */
  route?: RegExp | string;
  /** Path parameters, described. */
  params?: Record<string, string>;
  query?: Q;
  body?: B;
  /** A multipart upload instead of a JSON body: the file field. */
  upload?: { field: string; description: string };
  responses: Record<number, ResponseSpec>;
  /** Checks before the role check (the demo's development-only gate, the bearer check of an open router). */
  before?: RequestHandler[];
}

export interface Operation extends OperationSpec {
  method: Method;
  /** The OpenAPI path under /api/v1, `{param}` style. */
  path: string;
  /** The area (OpenAPI tag). */
  tag: string;
  /** The Express route as the router holds it (string, or a RegExp's source). */
  routeText: string;
}

/** What a handler gets beside req/res: the declared schemas' parse (400 naming the field). */
export interface OperationInput<B, Q> {
  body(): B;
  query(): Q;
}
/** Returns the success body (sent with the documented status), or nothing when it answered itself or for a 204. */
type Handler<B, Q> = (req: Request, res: Response, input: OperationInput<B, Q>) => unknown;

/** Every declared operation, keyed by method and path (a rebuilt app declares the same ones again). */
const declared = new Map<string, Operation>();

export function declaredOperations(): Operation[] {
  return [...declared.values()];
}

/** An area's router whose routes are declared operations. */
export function operations(tag: string) {
  const router = Router();
  const add =
    (method: Method) =>
    <B extends z.ZodType = z.ZodUnknown, Q extends z.ZodType = z.ZodUnknown>(
      path: string,
      spec: OperationSpec<B, Q>,
      handler: Handler<z.output<B>, z.output<Q>>,
    ) => {
      const route = spec.route ?? path.replace(/\{(\w+)\}/g, ':$1');
      declared.set(`${method.toUpperCase()} ${path}`, {
        ...(spec as OperationSpec),
        method,
        path,
        tag,
        routeText: route instanceof RegExp ? route.source : route,
      });
      const guards = [...(spec.before ?? []), ...(spec.roles ? [requireRole(...spec.roles)] : [])];
      const input = (req: Request): OperationInput<z.output<B>, z.output<Q>> => ({
        body: () => parse(spec.body!, req.body ?? {}),
        query: () => parse(spec.query!, req.query ?? {}),
      });
      // The documented success status is the one sent: a handler returns the body (nothing for a 204). One that
      // answers itself (a status chosen per request, a file streamed after it returns) is left alone.
      const success = Number(Object.keys(spec.responses).find((status) => /^2\d\d$/.test(status)));
      const streamsFile = !!spec.responses[success]?.file;
      router[method](route, ...guards, async (req: Request, res: Response) => {
        const body = await handler(req, res, input(req));
        if (res.headersSent || streamsFile) return;
        if (success === 204 && body === undefined) res.status(204).end();
        else res.status(success).json(body);
      });
      return api;
    };
  const api = {
    router,
    get: add('get'),
    post: add('post'),
    put: add('put'),
    patch: add('patch'),
    delete: add('delete'),
  };
  return api;
}

/** A path parameter of a RegExp route (capture group `n`), URL-decoded. */
export function pathParam(req: Request, n = 0): string {
  return decodeURIComponent(String((req.params as unknown as Record<number, string>)[n]));
}

export type OperationsApi = ReturnType<typeof operations>;

/**
 * A versioned policy's two operations: GET the version in force, PUT a new version (administrators; running
 * cases keep theirs). The answer of both is the form with its version.
 */
export function versionedPolicy<F extends z.ZodObject>(
  api: OperationsApi,
  path: string,
  policy: {
    form: F;
    current: () => Promise<unknown>;
    store: (p: Principal, form: z.output<F>, ip?: string) => Promise<unknown>;
    inForce: string;
    newVersion: string;
  },
): void {
  const view = policy.form.extend({
    version: z
      .number()
      .int()
      .meta({ description: 'assigned by the service; running cases keep the version they started with' }),
  });
  api.get(
    path,
    { summary: policy.inForce, responses: { 200: { description: 'the version in force', schema: view } } },
    () => policy.current(),
  );
  api.put(
    path,
    {
      summary: policy.newVersion,
      roles: ['admin'],
      body: policy.form,
      responses: { 200: { description: 'the new version', schema: view } },
    },
    (req, _res, input) => policy.store(req.principal!, input.body(), req.ip),
  );
}
