/**
 * The people's side in a real browser (Debian's chromium through playwright-core) against the real
 * stack. Screenshots of each main page go to test-artifacts/ (git-ignored).
 * Without /usr/bin/chromium (scripts/ensure-browser.sh installs it when run as root) the file is skipped.
 */
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, expectText, launchBrowser, shot, signIn as signInAs } from '../helpers/browser';
import { startStack, Stack } from '../helpers/stack';
import { until } from '../helpers/until';
import { beijingDay } from '../../domain/time';
import { PASSWORD, seedWorld } from './world';

let stack: Stack;
let world: Awaited<ReturnType<typeof seedWorld>>;
let browser: Browser;

const signIn = (username: string, viewport?: { width: number; height: number }): Promise<Page> =>
  signInAs(browser, stack.baseUrl, username, viewport);

describeBrowser('the people side in a browser', () => {
  beforeAll(async () => {
    stack = await startStack({ web: true });
    world = await seedWorld(stack.models);
    browser = await launchBrowser();
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
    // Live values: the pressure difference in alarm, a temperature normal (001 二(三)1: values in alarm are highlighted).
    const now = Date.now();
    const live = (indicator: string, value: number, inAlarm: boolean) => ({
      _id: `dev-a1/${indicator}`,
      deviceCode: 'dev-a1',
      indicator,
      enterpriseId: 'ent-a',
      value,
      ts: new Date(now - 60_000),
      receivedAt: new Date(now - 59_000),
      state: { inAlarm, breachRun: inAlarm ? 3 : 0, normalRun: 0, lastValue: value, sameRun: 1, frozen: false },
      outOfRange: false,
    });
    await stack.models.LatestValue.insertMany([live('dp', 1234, true), live('temp', 36, false)]);
    await page.click('text=甲金属制品有限公司');
    await expectText(page, 'h1', '甲金属制品有限公司');
    await expectText(page, 'main', '1号除尘器');
    await expectText(page, 'main', '打磨车间');
    expect(await page.locator('.state-alarm').allInnerTexts()).toEqual([expect.stringMatching(/^压差: 1234 Pa /)]);
    expect(await page.locator('.state-normal').allInnerTexts()).toEqual([expect.stringMatching(/^temp: 36 /)]);
    expect(await page.locator('[class*="object"]').count()).toBe(0);
    expect(
      await page
        .locator('.state-alarm')
        .evaluate(
          (el) =>
            (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color,
        ),
    ).toBe('rgb(168, 7, 26)');
    await shot(page, 'one-screen');
    // An alarm of ent-a a minute ago: counted on today's Beijing date.
    await stack.models.CaseRecord.create({
      _id: 'alarm/dev-a1/dp/e2e',
      type: 'monitoring_alarm',
      enterpriseId: 'ent-a',
      regionPath: ['city', 'east'],
      industry: 'dust_explosion',
      title: '压差报警',
      status: 'closed',
      openedAt: new Date(now - 60_000),
      deadlines: [],
      timeline: [],
      updatedAt: new Date(now),
    });
    await page.goto(`${stack.baseUrl}/dashboard`);
    await expectText(page, 'main', '态势总览');
    const cards = page.locator('section.card');
    expect(await cards.nth(0).locator('li').allInnerTexts()).toEqual([
      '红色（重大） 1',
      '橙色（较大） 0',
      '黄色（一般） 0',
      '蓝色（低） 0',
    ]);
    expect(await cards.nth(1).locator('li').allInnerTexts()).toEqual(['east: 1']);
    expect(await cards.nth(2).locator('li').allInnerTexts()).toEqual(
      Array.from({ length: 7 }, (_, i) => `${beijingDay(now - (6 - i) * 86_400_000)}: ${i === 6 ? 1 : 0}`),
    );
    expect(await cards.nth(3).locator('li').allInnerTexts()).toEqual(['< 1d: 1', '1–7d: 0', '7–30d: 0', '≥ 30d: 0']);
    expect((await cards.nth(4).innerText()).replace(/\s+/g, ' ')).toContain('接入率: 100% 在线率: — 企业数: 1');
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

  test('an enterprise answers a red warning from the portal and the tracking regulator sees the feedback and clears it', async () => {
    // A real red warning on the real workflow, raised through the public API by an administrator.
    const tokenRes = await fetch(`${stack.baseUrl}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin1', password: PASSWORD }),
    });
    const { token } = (await tokenRes.json()) as { token: string };
    const raised = await fetch(`${stack.baseUrl}/api/v1/warnings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ enterpriseId: 'ent-a', level: 'red', reason: '粉尘浓度与火花探测同时报警' }),
    });
    expect(raised.status).toBe(201);
    const { caseId } = (await raised.json()) as { caseId: string };
    const feedbackTask = await until(
      () => stack.models.Task.findOne({ caseId, form: 'warningFeedback', status: 'open' }).lean(),
      'the enterprise feedback task',
    );

    // The enterprise answers from its portal, on a phone.
    const ent = await signIn('ent-a-user', { width: 390, height: 844 });
    await ent.goto(`${stack.baseUrl}/portal`);
    await Promise.all([
      ent.waitForURL(/\/tasks\//),
      ent.click(`a[href="/tasks/${encodeURIComponent(feedbackTask._id)}"]`),
    ]);
    await ent.fill('textarea[name=verification]', '现场核实：2号除尘器灰斗温度偏高');
    await ent.fill('textarea[name=cause]', '清灰周期过长');
    await ent.fill('textarea[name=measures]', '已停机清灰并缩短清灰周期');
    await ent.fill('input[name=responsiblePerson]', '张三');
    await shot(ent, 'warning-feedback-filled-phone');
    await Promise.all([
      ent.waitForURL((u) => !u.pathname.startsWith('/tasks/')),
      ent.click('form[action*="/complete"] button[type=submit]'),
    ]);
    await until(
      async () => (await stack.models.CaseRecord.findById(caseId).lean())?.timeline.some((e) => e.kind === 'feedback'),
      'feedback on the timeline',
    );
    await ent.context().close();

    // The tracking regulator finds it in the inbox, reads the feedback on the case page and clears the warning.
    const reg = await signIn('reg-east');
    await reg.goto(`${stack.baseUrl}/inbox`);
    await reg.locator(`a[href="/cases/${caseId}"]`).first().waitFor({ timeout: 10_000 });
    await reg.goto(`${stack.baseUrl}/cases/${caseId}`);
    await expectText(reg, 'ol.timeline', '已停机清灰并缩短清灰周期');
    await reg.selectOption('select[name=level]', 'clear');
    await reg.fill('textarea[name=reason]', '现场核查完毕，风险已消除');
    await shot(reg, 'warning-clear-regulator');
    await Promise.all([
      reg.waitForURL(`${stack.baseUrl}/cases/${caseId}`),
      reg.click('form[action$="/level"] button[type=submit]'),
    ]);
    const closed = await until(
      () => stack.models.CaseRecord.findOne({ _id: caseId, status: 'closed' }).lean(),
      'the cleared warning closed',
    );
    expect(closed.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['feedback', 'cleared']));
    await reg.context().close();
  });
});
