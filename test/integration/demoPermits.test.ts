/** The demo's special-work permits (scripts/demoPermits.ts) on the demo world, through the real API: four permits in four states. */
import os from 'node:os';
import path from 'node:path';
import { seedDemoWorld } from '../../scripts/demoWorld';
import { openDemoPermits } from '../../scripts/demoPermits';
import { startStack, Stack } from '../helpers/stack';
import { until } from '../helpers/until';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ web: true });
}, 120_000);
afterAll(async () => stack?.stop());

it('seeds a hot-work permit in progress, a special-level one issued, a confined-space one signing and a level-2 one closed', async () => {
  await seedDemoWorld(stack.models, { keysFile: path.join(os.tmpdir(), `demo-keys-${process.pid}.json`) });
  const said: string[] = [];
  await openDemoPermits(stack.models, stack.baseUrl, (l) => said.push(l));
  // The projection follows the workflows: wait for the last one's acceptance to be written.
  const permits = await until(async () => {
    const all = await stack.models.Permit.find({}, { type: 1, level: 1, managedLevel: 1, status: 1 })
      .sort({ appliedAt: 1 })
      .lean();
    return all[3]?.status === 'closed' ? all : undefined;
  }, 'the closed demo permit');
  expect(permits.map((p) => [p.type, p.level, p.managedLevel, p.status])).toEqual([
    ['hot_work', 'level1', 'level1', 'in_progress'],
    ['confined_space', 'single', 'single', 'signing'],
    ['hot_work', 'level1', 'special', 'issued'],
    ['hot_work', 'level2', 'level2', 'closed'],
  ]);
  expect(said[0]).toMatch(/^demo permits: /);
}, 120_000);
