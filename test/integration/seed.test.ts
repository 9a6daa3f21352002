/** The demo world of the first run: complete, valid, and seeded only once. */
import { AGENCY_ROLES, usccProblem } from '../../domain/masterData';
import { verifyPassword } from '../../lib/passwords';
import { DEMO_PASSWORD, demoUscc, seedDemoWorld } from '../../scripts/demoWorld';
import { startStack, Stack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ web: true });
});
afterAll(async () => {
  await stack?.stop();
});

it('builds a world with every agency role, valid credit codes, devices, users of each role and working data keys; a second run changes nothing', async () => {
  const first = await seedDemoWorld(stack.models);
  expect(first.seeded).toBe(true);

  const agencies = await stack.models.Agency.find().lean();
  expect(new Set(agencies.map((a) => a.role))).toEqual(new Set(AGENCY_ROLES));
  const enterprises = await stack.models.Enterprise.find().lean();
  expect(enterprises).toHaveLength(30);
  expect(enterprises.filter((e) => usccProblem(e.uscc))).toEqual([]);
  expect(new Set(enterprises.map((e) => e.industry)).size).toBeGreaterThanOrEqual(7);
  // Every enterprise sits in a zone or street whose path the jurisdiction filters use.
  for (const e of enterprises) expect(e.regionPath).toHaveLength(3);
  expect(await stack.models.Device.countDocuments()).toBeGreaterThanOrEqual(30);

  const users = await stack.models.User.find().lean();
  expect(new Set(users.map((u) => u.role))).toEqual(new Set(['regulator', 'enterprise']));
  expect(users.find((u) => u._id === 'admin')).toBeUndefined(); // the web server creates admin
  expect(await verifyPassword(DEMO_PASSWORD, users[0].passwordHash)).toBe(true);

  // A seeded key is accepted by the monitoring-data interface for that enterprise's device.
  const { enterpriseId, key } = first.keys[0];
  const device = await stack.models.Device.findOne({ enterpriseId }).lean();
  const res = await fetch(`${stack.baseUrl}/api/v1/readings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({
      readings: [
        { deviceCode: device!._id, indicator: device!.indicators[0].code, value: 500, ts: new Date().toISOString() },
      ],
    }),
  });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { accepted: number }).accepted).toBe(1);

  const second = await seedDemoWorld(stack.models);
  expect(second.seeded).toBe(false);
  expect(await stack.models.Enterprise.countDocuments()).toBe(30);
  expect(await stack.models.User.countDocuments()).toBe(users.length);
});

it('makes credit codes whose check character is right', () => {
  expect(usccProblem(demoUscc(1))).toBeUndefined();
  expect(usccProblem(demoUscc(29))).toBeUndefined();
});
