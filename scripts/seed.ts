/** `node dist/scripts/seed.js`: seeds the demo world into MONGODB_URI when it has no enterprises yet. */
import path from 'node:path';
import { loadConfig, paths } from '../config';
import { DEFAULT_RISK_RULES } from '../domain/risk';
import { riskRulesProblems } from '../domain/risk/validate';
import { connectDatabase, type Models } from '../models';
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
    await storeDemoRiskRules(models, say);
    return result;
  } finally {
    await conn.close();
  }
}

/** How long a computed level must hold before the model moves a warning, in the demo world only. */
export const DEMO_RISK_HOLD = 'PT2M';

/**
 * The demo world's risk rules: the shipped defaults with a 2-minute damping hold instead of 30, stored as version 2 by
 * `demo` (visible on /admin/policies/risk), so the model's warnings appear while someone looks at the demo. With
 * the recompute every 2 minutes (scripts/run.ts), a level that holds moves its warning within about 5 minutes.
 */
async function storeDemoRiskRules(models: Models, say: (l: string) => void): Promise<void> {
  if (await models.RiskRules.exists({})) return;
  const rules = {
    ...DEFAULT_RISK_RULES,
    version: DEFAULT_RISK_RULES.version + 1,
    damping: { holdFor: DEMO_RISK_HOLD },
  };
  const problems = riskRulesProblems(rules);
  if (problems.length)
    throw new Error(`demo risk rules: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
  await models.RiskRules.create({ _id: rules.version, ...rules, updatedBy: 'demo', updatedAt: new Date() });
  say(`demo risk rules: version ${rules.version}, the model moves a warning once a level has held ${DEMO_RISK_HOLD}`);
}

if (require.main === module) {
  seedIfEmpty(loadConfig().mongodbUri, (l) => process.stderr.write(`[seed] ${l}\n`)).catch((err) => {
    process.stderr.write(`[seed] failed: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
