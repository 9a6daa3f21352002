/**
 * `npm run verify-audit` (`node dist/scripts/verifyAudit.js`): walks the audit trail's hash chain in
 * MONGODB_URI (web/services/audit.ts) and prints the result as JSON; exit code 1 when an entry was
 * altered, removed or inserted (the first such position is named), 0 when the chain is intact.
 */
import { ConfigError, loadConfig } from '../config';
import { connectDatabase } from '../models';
import { createAuditService } from '../web/access/audit';

async function main() {
  const config = loadConfig();
  const { conn, models } = await connectDatabase(config.mongodbUri);
  try {
    const result = await createAuditService({ models }).verify();
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exitCode = result.ok ? 0 : 1;
  } finally {
    await conn.close();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(2);
});
