/** Interview minutes and warning-notice records (from offline cases and reports) are completed by the assigned agency and kept on the task. */
import { startStack, Stack } from '../helpers/stack';
import { seedRegions } from '../helpers/monitoringWorld';
import { call, userToken } from '../helpers/warningWorld';

let stack: Stack;
let regulator: string;
let otherRegulator: string;
beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 'rt');
  regulator = await userToken(stack.models, stack.baseUrl, 'rt-reg', 'regulator', { agencyId: 'rt-district-dust' });
  otherRegulator = await userToken(stack.models, stack.baseUrl, 'rt-zone', 'regulator', { agencyId: 'rt-zone-safety' });
});
afterAll(async () => {
  await stack?.stop();
});

const task = (id: string, form: string) => ({
  _id: id,
  caseId: `report/weekly/2026-11-16/rt-ent-1/${form}`,
  caseType: 'interview' as const,
  kind: form === 'interviewMinutes' ? 'interview' : 'warning_notice',
  title: '约谈：离线超过2天',
  enterpriseId: 'rt-ent-1',
  assigneeAgencyId: 'rt-district-dust',
  status: 'open' as const,
  form,
  createdAt: new Date(),
});
const complete = (token: string, id: string, form: unknown) =>
  call(stack.baseUrl, token, 'POST', `/api/v1/tasks/${encodeURIComponent(id)}/complete`, { form });

it('the district regulator records the interview minutes once; another agency is refused; a second completion changes nothing', async () => {
  await stack.models.Task.create(task('report/weekly/2026-11-16/rt-ent-1/interview', 'interviewMinutes'));
  const id = 'report/weekly/2026-11-16/rt-ent-1/interview';

  expect(await complete(regulator, id, {})).toMatchObject({ status: 400, body: { field: 'minutes' } });
  expect((await complete(otherRegulator, id, { minutes: '越权' })).status).toBe(403);
  expect((await complete(regulator, id, { minutes: '企业负责人到场，承诺三日内恢复数据上传' })).status).toBe(200);
  expect((await complete(regulator, id, { minutes: '第二次' })).status).toBe(409);

  const done = await stack.models.Task.findById(id).lean();
  expect(done).toMatchObject({
    status: 'done',
    completedBy: 'rt-reg',
    result: { minutes: '企业负责人到场，承诺三日内恢复数据上传' },
  });
});

it('a warning notice follow-up is recorded with its note', async () => {
  const id = 'report/weekly/2026-11-16/rt-ent-1/notice';
  await stack.models.Task.create(task(id, 'warningNoticeRecord'));
  expect((await complete(regulator, id, { note: '已向企业发出警示通报' })).status).toBe(200);
  expect((await stack.models.Task.findById(id).lean())?.result).toEqual({ note: '已向企业发出警示通报' });
});
