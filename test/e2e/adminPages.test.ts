/**
 * The administrator's pages in a real browser against the real stack, with screenshots in
 * test-artifacts/: an enterprise created through its form (and a refusal shown on the field),
 * its device and cleaning plan forms, users, the escalation ladder, the report rules, and a
 * report run followed to its PDF link.
 */
import type { Browser } from 'playwright-core';
import { usccCheckChar } from '../../domain/masterData';
import { describeBrowser, expectText, launchBrowser, shot, signIn } from '../helpers/browser';
import { startStack, Stack } from '../helpers/stack';
import { seedWorld } from './world';

let stack: Stack;
let browser: Browser;

describeBrowser('the administration pages in a browser', () => {
  beforeAll(async () => {
    stack = await startStack({ web: true });
    await seedWorld(stack.models);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('an administrator creates an enterprise through the form: a wrong credit code is marked, the corrected one is listed', async () => {
    const page = await signIn(browser, stack.baseUrl, 'admin1');
    await page.goto(`${stack.baseUrl}/admin`);
    await shot(page, 'admin-index');
    await page.click('text=企业');
    await page.click('text=新建');
    const first17 = '91310115MA1K4ABC1';
    const good = first17 + usccCheckChar(first17);
    await page.fill('input[name=id]', 'ent-e2e');
    await page.fill('input[name=name]', '戊食品有限公司');
    await page.fill('input[name=uscc]', first17 + (good.endsWith('0') ? '1' : '0'));
    await page.selectOption('select[name=regionId]', 'east');
    await page.selectOption('select[name=industry]', 'dust_explosion');
    await page.selectOption('select[name=dustType]', 'food');
    await page.fill('input[name=dustWorkers]', '8');
    await page.fill('input[name="contacts.0.name"]', '赵六');
    await page.fill('input[name="contacts.0.phone"]', '13700000000');
    await shot(page, 'admin-enterprise-new');
    await Promise.all([page.waitForLoadState('load'), page.click('main form button[type=submit]')]);
    await expectText(page, '.error', 'uscc');
    expect(await page.inputValue('input[name=name]')).toBe('戊食品有限公司');
    await shot(page, 'admin-enterprise-refused');
    await page.fill('input[name=uscc]', good);
    await Promise.all([
      page.waitForURL(/\/admin\/lists\/enterprises\?saved=/),
      page.click('main form button[type=submit]'),
    ]);
    await expectText(page, 'table', '戊食品有限公司');
    await shot(page, 'admin-enterprises-saved');

    await page.goto(`${stack.baseUrl}/admin/enterprises/ent-e2e`);
    await shot(page, 'admin-enterprise-edit');
    await page.click('text=监测设备');
    await page.click('text=新建设备');
    await page.fill('input[name=id]', 'dev-e2e');
    await page.fill('input[name=name]', '1号除尘器');
    await page.fill('input[name=kind]', 'dust_collector_sensor');
    await page.fill('input[name="indicators.0.code"]', 'dp');
    await page.fill('input[name="indicators.0.name"]', '压差');
    await page.selectOption('select[name="indicators.0.kind"]', 'differential_pressure');
    await page.fill('input[name="indicators.0.unit"]', 'Pa');
    await page.fill('input[name="indicators.0.normalMax"]', '1500');
    await page.fill('input[name="indicators.0.alarmHigh"]', '1800');
    await page.fill('input[name="indicators.0.intervalSec"]', '60');
    await shot(page, 'admin-device-new');
    await Promise.all([page.waitForURL(/\/devices\?saved=dev-e2e/), page.click('main form button[type=submit]')]);
    await expectText(page, 'table', 'dev-e2e');
    await shot(page, 'admin-devices');

    await page.goto(`${stack.baseUrl}/admin/enterprises/ent-e2e/cleaning-plan`);
    await page.fill('input[name="items.0.item"]', '除尘器灰斗');
    await page.selectOption('select[name="items.0.frequency"]', 'daily');
    await Promise.all([page.waitForURL(/saved=ent-e2e/), page.click('main form button[type=submit]')]);
    await page.goto(`${stack.baseUrl}/admin/enterprises/ent-e2e/cleaning-plan`);
    expect(await page.inputValue('input[name="items.0.item"]')).toBe('除尘器灰斗');
    await shot(page, 'admin-cleaning-plan');

    await page.goto(`${stack.baseUrl}/admin/users/reg-east`);
    await shot(page, 'admin-user-edit');
    await page.goto(`${stack.baseUrl}/admin/agencies/east-dust`);
    await shot(page, 'admin-agency-edit');
    await page.context().close();
  });

  test('the escalation ladder: a bad duration is marked on its field, a good edit becomes the version in force', async () => {
    const page = await signIn(browser, stack.baseUrl, 'admin1');
    await page.goto(`${stack.baseUrl}/admin/policies/escalation`);
    await expectText(page, 'table.ladder', 'PT30M');
    await shot(page, 'admin-escalation');
    await page.fill('input[name="levels.red.repeatEvery"]', '半小时');
    await Promise.all([
      page.waitForLoadState('load'),
      page.click('form[action="/admin/policies/escalation"] button[type=submit]'),
    ]);
    await expectText(page, '.error', 'levels.red.repeatEvery');
    expect(await page.getAttribute('input[name="levels.red.repeatEvery"]', 'aria-invalid')).toBe('true');
    await shot(page, 'admin-escalation-refused');
    await page.fill('input[name="levels.red.repeatEvery"]', 'PT15M');
    await Promise.all([
      page.waitForURL(/saved=2/),
      page.click('form[action="/admin/policies/escalation"] button[type=submit]'),
    ]);
    await expectText(page, 'h2', 'v2');
    await expectText(page, 'table.ladder', 'PT15M');
    await page.context().close();
  });

  test('report rules and a report run from the page to its PDF link (phone)', async () => {
    const page = await signIn(browser, stack.baseUrl, 'admin1', { width: 390, height: 844 });
    await page.goto(`${stack.baseUrl}/admin/policies/report-rules`);
    await shot(page, 'admin-report-rules-phone');
    await page.goto(`${stack.baseUrl}/admin/reports`);
    await page.fill('input[name=periodStart]', '2026-10-12');
    await Promise.all([page.waitForURL(/started=/), page.click('form:has(input[value=weekly]) button[type=submit]')]);
    await shot(page, 'admin-reports-running-phone');
    await page.locator('a[href^="/admin/reports/pdf"]').first().waitFor({ timeout: 30_000 }); // the page refreshes itself while running
    await expectText(page, 'table.reports', '已完成');
    await shot(page, 'admin-reports-phone');
    await page.fill('input[name=periodStart]', '2026-10-12');
    await Promise.all([page.waitForLoadState('load'), page.click('form:has(input[value=weekly]) button[type=submit]')]);
    await expectText(page, '[role=alert]', '重新运行为新版本');
    await shot(page, 'admin-reports-rerun-offer-phone');
    await page.context().close();
  }, 90_000);
  test('the API reference is linked from the administration index and lists every operation with its schemas, under the strict CSP', async () => {
    const page = await signIn(browser, stack.baseUrl, 'admin1');
    await page.goto(`${stack.baseUrl}/admin`);
    await Promise.all([page.waitForURL(/\/api\/v1\/reference$/), page.click('text=接口文档（OpenAPI）')]);
    await expectText(page, 'h1', '接口文档');
    await expectText(page, '#post-warnings', 'POST /api/v1/warnings');
    await expectText(page, '#post-warnings table', 'enterpriseId');
    const sections = await page.locator('main section.card').count();
    const document = (await (await fetch(`${stack.baseUrl}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, object>;
    };
    expect(sections).toBe(Object.values(document.paths).reduce((n, methods) => n + Object.keys(methods).length, 0));
    await shot(page, 'api-reference');
    await page.context().close();
  }, 60_000);
});
