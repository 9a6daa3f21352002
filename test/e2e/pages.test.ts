/**
 * The people's side in a real browser (Debian's chromium through playwright-core) against the real
 * stack. Screenshots of each main page go to test-artifacts/ (git-ignored).
 * Without /usr/bin/chromium (scripts/ensure-browser.sh installs it when run as root) the file is skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, Browser, Page } from 'playwright-core';
import { startStack, Stack } from '../helpers/stack';
import { PASSWORD, seedWorld } from './world';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts');
const haveBrowser = fs.existsSync(CHROMIUM);
if (!haveBrowser) console.warn(`test/e2e skipped: ${CHROMIUM} is missing (run scripts/ensure-browser.sh as root)`);
const describeBrowser = haveBrowser ? describe : describe.skip;

let stack: Stack;
let world: Awaited<ReturnType<typeof seedWorld>>;
let browser: Browser;

async function signIn(username: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  await page.goto(`${stack.baseUrl}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
  return page;
}
async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

describeBrowser('the people side in a browser', () => {
  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startStack({ web: true });
    world = await seedWorld(stack.models);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('the login page is in Chinese and switches to English', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/login`);
    await expectText(page, 'h1', '登录');
    await shot(page, 'login');
    await page.click('text=English');
    await expectText(page, 'h1', 'Sign in');
    await context.close();
  });

  test('an enterprise user sees the red warning awaiting feedback with its countdown, and opens the feedback form (phone)', async () => {
    const page = await signIn('ent-a-user', { width: 390, height: 844 });
    expect(new URL(page.url()).pathname).toBe('/portal');
    await expectText(page, '.tasks', '红色预警反馈');
    await expectText(page, '.tasks', '剩余');
    await shot(page, 'portal-phone');
    await page.click('text=红色预警反馈');
    await expectText(page, 'form', '发现事故');
    await shot(page, 'warning-feedback-form-phone');
    await page.goto(`${stack.baseUrl}/cases/${world.caseA}`);
    await expectText(page, 'h1', '红色');
    await shot(page, 'case-enterprise');
    await page.goto(`${stack.baseUrl}/portal/cleaning`);
    await shot(page, 'cleaning-check-in-phone');
    await page.goto(`${stack.baseUrl}/portal/suspension`);
    await expectText(page, 'form', '1号除尘器');
    await shot(page, 'suspension-request-phone');
    await page.context().close();
  });

  test("an enterprise user cannot open another enterprise's case: a 403 page", async () => {
    const page = await signIn('ent-a-user');
    const res = await page.goto(`${stack.baseUrl}/cases/${world.caseB}`);
    expect(res?.status()).toBe(403);
    await expectText(page, '.error', 'outside your jurisdiction');
    expect(await page.content()).not.toContain('乙木业有限公司');
    await shot(page, 'case-403');
    await page.context().close();
  });

  test('a regulator runs a spot-check search and opens the one-screen view of the enterprise', async () => {
    const page = await signIn('reg-east');
    expect(new URL(page.url()).pathname).toBe('/inbox');
    await expectText(page, 'table.inbox', '跟踪核查红色预警');
    await expectText(page, 'table.inbox', '已超期');
    await shot(page, 'inbox');
    await page.click('table.inbox >> text=跟踪核查红色预警');
    await expectText(page, 'main', '认领');
    await shot(page, 'task');
    await page.goBack();
    await page.click('nav >> text=在线抽查');
    await page.fill('input[name=name]', '甲');
    await page.selectOption('select[name=level]', 'red');
    await Promise.all([page.waitForURL(/spot-check\?/), page.click('form.filters button[type=submit]')]);
    await expectText(page, 'table.spot', '甲金属制品有限公司');
    expect(await page.locator('table.spot tbody tr').count()).toBe(1);
    await shot(page, 'spot-check');
    await page.click('text=甲金属制品有限公司');
    await expectText(page, 'h1', '甲金属制品有限公司');
    await expectText(page, 'main', '1号除尘器');
    await expectText(page, 'main', '打磨车间');
    await shot(page, 'one-screen');
    await page.goto(`${stack.baseUrl}/dashboard`);
    await expectText(page, 'main', '态势总览');
    await shot(page, 'dashboard');
    await page.goto(`${stack.baseUrl}/cases/${world.caseA}`);
    await expectText(page, '.timeline', '立案');
    await shot(page, 'case-regulator');
    await page.context().close();
  });

  test('an administrator searches the audit trail and finds the regulator’s spot check', async () => {
    const page = await signIn('admin1');
    await page.goto(`${stack.baseUrl}/admin/audit?actor=reg-east`);
    await expectText(page, 'table', 'spot_check.search');
    await shot(page, 'admin-audit');
    await page.goto(`${stack.baseUrl}/admin`);
    await shot(page, 'admin');
    await page.goto(`${stack.baseUrl}/admin/lists/enterprises`);
    await expectText(page, 'table', '甲金属制品有限公司');
    await shot(page, 'admin-enterprises');
    await page.context().close();
  });

  // Needs the escalation developer's risk-warning workflow and tasks service (web/services/tasks.ts
  // with completeTask, registered as `tasks` in createServices; the task page already delegates to it).
  // To write once it lands: start a red warning through their service, the enterprise submits the
  // warningFeedback form (measures + accidentFound) from /portal, the tracking regulator sees the
  // feedback on the case timeline from /inbox and completes its clearing task.
  test.todo('an enterprise answers a red warning from the portal and the tracking regulator sees the feedback and clears it');
});

async function expectText(page: Page, selector: string, text: string) {
  await page.locator(selector).filter({ hasText: text }).first().waitFor({ timeout: 10_000 });
}
