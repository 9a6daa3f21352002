/**
 * The seeds (the regulations behind DOMAIN.md), kept verbatim in docs/seeds so tests can check that rule data
 * cites clauses that exist. WARNFLOW_SEEDS_DIR points elsewhere when a newer copy lives outside the repo.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SEEDS_DIR = process.env.WARNFLOW_SEEDS_DIR ?? join(__dirname, '..', '..', 'docs', 'seeds');

/** The text of seed `001`…`004`. */
export function seedText(seed: string): string {
  const file = readdirSync(SEEDS_DIR).find((f) => f.startsWith(`${seed}_`) && f.endsWith('.txt'));
  if (!file) throw new Error(`seed ${seed} not found in ${SEEDS_DIR} (set WARNFLOW_SEEDS_DIR)`);
  return readFileSync(join(SEEDS_DIR, file), 'utf8');
}
