/**
 * Issue 16 (operators): an administrator's case page links the case's workflow in the Temporal UI (base URL
 * from WARNFLOW_TEMPORAL_UI_URL) and shows the workflow's status beside the projection's, with a warning when
 * they disagree — here a real warning workflow terminated behind the projection's back.
 */
import type { Server } from 'node:http';
import type net from 'node:net';
import { createLogger } from '../../lib/log';
import { closeApp, createApp } from '../../web/app';
import { PageClient } from '../e2e/world';
import { seedEnterprise, seedRegions } from '../helpers/monitoringWorld';
import { env, startStack, Stack } from '../helpers/stack';
import { until } from '../helpers/until';
import { call, userToken } from '../helpers/warningWorld';

const UI = 'http://127.0.0.1:18233';
let stack: Stack;
let server: Server;
let app: ReturnType<typeof createApp>;
let baseUrl: string;
let regulator: string;
let entId: string;

beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 'w');
  entId = (await seedEnterprise(stack.models, 'w', 1)).enterpriseId;
  regulator = await userToken(stack.models, stack.baseUrl, 'w-reg', 'regulator', { agencyId: 'w-district-dust' });
  await userToken(stack.models, stack.baseUrl, 'w-admin', 'admin');
  app = createApp({
    config: { taskQueue: stack.taskQueue, publicUrl: 'http://127.0.0.1', temporalAddress: env('TEMPORAL_ADDRESS') },
    temporal: stack.client,
    db: stack.db,
    models: stack.models,
    mailer: stack.mailer,
    log: createLogger({}, 'error'),
    temporalUiUrl: UI,
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  if (server) await new Promise((r) => server.close(r));
  if (app) await closeApp(app);
  await stack?.stop();
});

/** Text of a page as the browser reads it (Handlebars escapes = and &). */
const decoded = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

it("shows the workflow's status and its Temporal UI link to an administrator, and warns when the workflow ended behind an open case", async () => {
  const opened = await call(stack.baseUrl, regulator, 'POST', '/api/v1/warnings', {
    enterpriseId: entId,
    level: 'yellow',
    reason: '风险指数 55',
  });
  expect(opened.status).toBe(201);
  const caseId = opened.body.caseId as string;
  const workflowId = caseId.slice(0, caseId.lastIndexOf('/'));
  await until(() => stack.models.CaseRecord.findById(caseId).lean(), 'the case record');

  const admin = new PageClient(baseUrl);
  await admin.login('w-admin', 'pw-warn-123456');
  const casePath = `/cases/${encodeURIComponent(caseId)}`;
  let html = decoded((await admin.get(casePath)).html);
  expect(html).toContain(`href="${UI}/namespaces/default/workflows/${encodeURIComponent(workflowId)}"`);
  expect(html).toContain('工作流状态：<strong>运行中</strong>');
  expect(html).not.toContain('与工作流不一致');

  // Terminated outside warnflow: the projection still says 处理中.
  await stack.client.workflow.getHandle(workflowId).terminate('operator test');
  html = decoded((await admin.get(casePath)).html);
  expect(html).toContain('工作流状态：<strong>已终止</strong>');
  expect(html).toContain('案件记录为“处理中”，但工作流已结束（已终止）：案件记录与工作流不一致');
  expect((await stack.models.CaseRecord.findById(caseId).lean())!.status).toBe('open');

  // A regulator sees the case, not the operators' view.
  const reg = new PageClient(baseUrl);
  await reg.login('w-reg', 'pw-warn-123456');
  const regHtml = (await reg.get(casePath)).html;
  expect(regHtml).toContain('风险预警');
  expect(regHtml).not.toContain('工作流状态');
  expect(regHtml).not.toContain(UI);
});
