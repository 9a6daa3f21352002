import type { Services } from '../../embedded';

export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as Record<string, unknown>).__warnflowServices as Services | undefined;
  await services?.stop();
}
