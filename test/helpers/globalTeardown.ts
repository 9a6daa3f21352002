import fs from 'node:fs';
import type { Services } from '../../embedded';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  await (g.__warnflowServices as Services | undefined)?.stop();
  if (typeof g.__warnflowTestData === 'string') fs.rmSync(g.__warnflowTestData, { recursive: true, force: true });
}
