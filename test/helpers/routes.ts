/**
 * Every route an Express 5 app answers, read from its router stack (router 2.x layers: `rawPath`
 * for mounts and routes, `route.methods`), as "METHOD /path" keys. RegExp routes keep their source
 * (`GET /api/v1^\/cases\/(.+)$`), so a new route of any shape shows up as a new key.
 */
import type { Express } from 'express';

interface Layer {
  rawPath?: string | RegExp | (string | RegExp)[];
  route?: { path: string | RegExp; methods: Record<string, boolean>; stack: Layer[] };
  handle: { stack?: Layer[] } & ((...args: unknown[]) => unknown);
}

function text(p: string | RegExp | (string | RegExp)[] | undefined): string {
  if (p === undefined) return '';
  if (Array.isArray(p)) return p.map(text).join('|');
  return p instanceof RegExp ? p.source : p === '/' ? '' : p;
}

export function routeKeys(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const path = prefix + text(layer.route.path) || '/';
        for (const [method, on] of Object.entries(layer.route.methods))
          if (on && method !== '_all') out.push(`${method.toUpperCase()} ${path}`);
      } else if (Array.isArray(layer.handle?.stack)) {
        walk(layer.handle.stack, prefix + text(layer.rawPath));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return out;
}
