/**
 * Imported first by a benchmark: unless WARNFLOW_DATA_DIR is set, the files it writes (report PDFs,
 * uploads) go to a scratch folder of its own instead of the main run's .data/ (config reads the variable
 * when first imported).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

if (!process.env.WARNFLOW_DATA_DIR)
  process.env.WARNFLOW_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'warnflow-bench-data-'));
export const benchDataDir = process.env.WARNFLOW_DATA_DIR;
