/**
 * Histories recorded under earlier code (test/fixtures/histories) replay under today's workflows: a step
 * added or reordered since must sit behind patched(), or the replay fails with a nondeterminism error.
 * Each fixture's name says which change it guards; record one before changing a workflow's commands.
 */
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import fs from 'node:fs';
import path from 'node:path';
import { installQuietRuntime } from '../../worker/createWorker';
import { workflowsBundle } from '../helpers/timeSkipping';

const dir = path.join(__dirname, '..', 'fixtures', 'histories');
const fixtures = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

beforeAll(() => installQuietRuntime());

it('has fixtures to replay', () => {
  expect(fixtures.length).toBeGreaterThan(0);
});

it.each(fixtures)('%s replays under the current workflows', async (file) => {
  // Stored as protobuf JSON (History.toJSON of the recorded run).
  // A fixture may name its workflow id (`workflowId` beside `events`): a workflow whose child ids derive from its own replays only under it.
  const stored = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { workflowId?: string };
  const history = temporal.api.history.v1.History.fromObject(stored);
  // The workflows bundled once for the file: bundling per fixture took minutes under a full run's load.
  await Worker.runReplayHistory({ workflowBundle: await workflowsBundle() }, history, stored.workflowId);
});
