/**
 * A data-interface key's lastUsedAt is written once a minute at most (issue 15): each batch wrote it, one database
 * commit per batch beside the readings, in a storm of batches.
 */
import mongoose from 'mongoose';
import { startStack, Stack } from '../helpers/stack';
import { SeededEnterprise, seedEnterprise, seedRegions } from '../helpers/monitoringWorld';
import { until } from '../helpers/until';

let stack: Stack;
let ent: SeededEnterprise;
let keyWrites = 0;
beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 'k');
  ent = await seedEnterprise(stack.models, 'k', 1, { devices: 1 });
  mongoose.set('debug', (collection: string, method: string) => {
    if (collection === 'data_keys' && method.startsWith('update')) keyWrites++;
  });
});
afterAll(async () => {
  mongoose.set('debug', false);
  await stack?.stop();
});

it('three batches within a minute write the key’s lastUsedAt once', async () => {
  const post = (value: number) =>
    fetch(`${stack.baseUrl}/api/v1/readings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ent.key}` },
      body: JSON.stringify({
        readings: [
          { deviceCode: ent.devices[0], indicator: 'dp', value, ts: new Date(Date.now() - value).toISOString() },
        ],
      }),
    });
  const before = new Date();
  for (const v of [500, 501, 502]) expect((await post(v)).status).toBe(200);
  await until(
    async () => (await stack.models.DataKey.findOne({ enterpriseId: ent.enterpriseId }).lean())?.lastUsedAt,
    'the key’s lastUsedAt',
  );
  const key = await stack.models.DataKey.findOne({ enterpriseId: ent.enterpriseId }).lean();
  expect(key!.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime());
  await new Promise((r) => setTimeout(r, 300));
  expect(keyWrites).toBe(1);
});
