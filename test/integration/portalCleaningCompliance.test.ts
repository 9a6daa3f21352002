/**
 * The enterprise portal's cleaning page on the real stack: the enterprise's cleaning plan items with the
 * check-ins of their period (today / this week / this month, Beijing time), a check-in made on the page
 * counted at once, an older one not; only its own enterprise's plan; a page without a plan says so.
 */
import { startStack, Stack } from '../helpers/stack';
import { PageClient, seedWorld } from '../e2e/world';

let stack: Stack;
let ent: PageClient;
beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedWorld(stack.models);
  await stack.models.CleaningPlan.create({
    _id: 'ent-a',
    items: [
      { item: '除尘器灰斗', area: '打磨车间', frequency: 'daily', responsible: '王五' },
      { item: '车间地面', frequency: 'weekly' },
      { item: '管道', frequency: 'per_shift' },
    ],
    updatedBy: 'admin1',
    updatedAt: new Date(),
  });
  await stack.models.CleaningPlan.create({
    _id: 'ent-b',
    items: [{ item: '乙企业专用设备', frequency: 'daily' }],
    updatedBy: 'admin1',
    updatedAt: new Date(),
  });
  // Eight days ago is always before this week's Monday: it counts for nothing now.
  await stack.models.CleaningCheckIn.create({
    enterpriseId: 'ent-a',
    item: '车间地面',
    person: '李四',
    at: new Date(Date.now() - 8 * 86_400_000),
    createdBy: 'ent-a-user',
    createdAt: new Date(),
  });
  ent = new PageClient(stack.baseUrl);
  await ent.login('ent-a-user');
}, 120_000);
afterAll(async () => stack?.stop());

/** The plan table's row of an item, as text without tags. */
function row(html: string, item: string): string | undefined {
  const table = /<table class="compliance">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const tr = [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)]
    .map((m) => m[1])
    .find((r) => r.includes(`<td>${item}</td>`));
  return tr
    ?.replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

test('the plan items show what is due in their period; a check-in on the page counts at once', async () => {
  const before = await ent.get('/portal/cleaning');
  expect(before.status).toBe(200);
  expect(before.html).toContain('清扫计划执行情况');
  expect(row(before.html, '除尘器灰斗')).toBe('除尘器灰斗 打磨车间 每日 王五 今天 0 / 1 未完成 —');
  expect(row(before.html, '车间地面')).toMatch(/^车间地面 每周 本周 0 \/ 1 未完成 —$/);
  expect(row(before.html, '管道')).toMatch(/每班 今天 0 \/ 2 未完成/);
  expect(before.html).not.toContain('乙企业专用设备');
  expect(before.html).toContain('<option value="除尘器灰斗">'); // the check-in form offers the plan's items

  const done = await ent.post('/portal/cleaning', {
    item: '除尘器灰斗',
    person: '李四',
    at: new Date(Date.now() - 60_000).toISOString(),
  });
  expect(done.status).toBe(303);
  const after = await ent.get('/portal/cleaning?done=1');
  expect(row(after.html, '除尘器灰斗')).toMatch(
    /^除尘器灰斗 打磨车间 每日 王五 今天 1 \/ 1 已完成 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/,
  );
  expect(row(after.html, '车间地面')).toMatch(/0 \/ 1 未完成/);
});

test('a refused check-in shows the plan too; an enterprise without a plan is told so', async () => {
  await ent.get('/portal/cleaning');
  const bad = await ent.post('/portal/cleaning', { item: '除尘器灰斗', person: '', at: new Date().toISOString() });
  expect(bad.status).toBe(400);
  expect(row(bad.html, '除尘器灰斗')).toMatch(/1 \/ 1 已完成/);
  await stack.models.CleaningPlan.deleteOne({ _id: 'ent-a' });
  const none = await ent.get('/portal/cleaning');
  expect(none.html).toContain('运营公司尚未录入本企业的清扫计划');
  expect(none.html).not.toContain('class="compliance"');
});
