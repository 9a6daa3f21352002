/** `node dist/scripts/seed.js`: seeds the demo world into MONGODB_URI when it has no enterprises yet. */
import path from 'node:path';
import { loadConfig, paths } from '../config';
import { connectDatabase } from '../models';
import { seedDemoWorld, DemoWorldResult, DEMO_PASSWORD } from './demoWorld';

export const DEMO_KEYS_FILE = path.join(paths.data, 'demo-data-keys.json');

/** Seeds when empty and says what it did; used by `npm start` on the first run and by this CLI. */
export async function seedIfEmpty(mongodbUri: string, say: (l: string) => void): Promise<DemoWorldResult> {
  const { conn, models } = await connectDatabase(mongodbUri);
  try {
    const result = await seedDemoWorld(models, { keysFile: DEMO_KEYS_FILE });
    if (!result.seeded) {
      say('demo data: the database already has enterprises, nothing seeded');
      return result;
    }
    const pick = (role: string, n: number) => result.users.filter((u) => u.role === role).slice(0, n);
    say(
      `demo data seeded: ${result.keys.length} enterprises, ${result.users.length} users (password for all: ${DEMO_PASSWORD}); data keys in ${DEMO_KEYS_FILE}`,
    );
    for (const u of [...pick('regulator', 4), ...pick('enterprise', 2)])
      say(`  ${u.username.padEnd(28)} ${u.role.padEnd(10)} ${u.of}`);
    return result;
  } finally {
    await conn.close();
  }
}

if (require.main === module) {
  seedIfEmpty(loadConfig().mongodbUri, (l) => process.stderr.write(`[seed] ${l}\n`)).catch((err) => {
    process.stderr.write(`[seed] failed: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
