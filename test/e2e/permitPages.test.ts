/**
 * A special-work permit in a real browser against the real stack: an enterprise applies for a confined-space
 * entry on a phone (type and level, then the e-permit with its checklist and signers), signs as work leader
 * from its portal task, and the unit's reviewer approves from the portal's tasks: the permit is issued with
 * its number and PDF. Screenshots in test-artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { hashPassword } from '../../lib/passwords';
import { describeBrowser, expectText, launchBrowser, shot, signIn } from '../helpers/browser';
import { startStack, Stack } from '../helpers/stack';
import { PASSWORD, seedWorld } from './world';

let stack: Stack;
let browser: Browser;
const phone = { width: 390, height: 844 };
/** A Beijing wall-clock time for a datetime-local field, `ms` from now. */
const local = (ms: number) => new Date(Date.now() + ms + 8 * 3600_000).toISOString().slice(0, 16);

/** Reloads the page until `selector` is on it: the workflow writes what the page shows a moment after the post. */
async function untilShown(page: Page, selector: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.locator(selector).count())) {
    if (Date.now() > deadline) throw new Error(`${selector} not shown on ${page.url()} within ${timeoutMs} ms`);
    await page.waitForTimeout(250);
    await page.reload();
  }
}

describeBrowser('a permit in the browser', () => {
  beforeAll(async () => {
    stack = await startStack({ web: true });
    await seedWorld(stack.models);
    await stack.models.User.create({
      _id: 'ent-a-unit',
      displayName: '车间主任',
      role: 'enterprise',
      enterpriseId: 'ent-a',
      passwordHash: await hashPassword(PASSWORD),
      active: true,
      createdAt: new Date(),
    });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  let permitUrl: string;

  test('the enterprise applies on a phone and signs as work leader from its portal task', async () => {
    const page = await signIn(browser, stack.baseUrl, 'ent-a-user', phone);
    await page.goto(`${stack.baseUrl}/permits/new`);
    await page.selectOption('select[name=type]', 'confined_space');
    await Promise.all([page.waitForURL(/type=confined_space/), page.click('main form button[type=submit]')]);
    await page.selectOption('select[name=level]', 'single');
    await Promise.all([page.waitForURL(/level=single/), page.click('main form button[type=submit]')]);
    await page.fill('input[name=place]', '反应釜 R-201 内部');
    await page.fill('textarea[name=content]', '清理釜内残渣');
    await page.fill('input[name=validFrom]', local(-60_000));
    await page.fill('input[name=validTo]', local(8 * 3600_000));
    await page.fill('textarea[name=hazards]', '缺氧\n硫化氢');
    for (const input of await page.locator('input[name$="_by"]').all()) await input.fill('李工');
    await page.fill('input[name=gasAt]', local(-5 * 60_000));
    await page.fill('input[name=gasPlace]', '釜内上中下');
    await page.fill('input[name=gasAnalyst]', '化验员孙');
    await page.fill('input[name=gasO2]', '20.6');
    await page.fill('textarea[name=workers]', '王工 T2001');
    await page.fill('input[name=guardianName]', '赵监护');
    await page.fill('input[name=guardianUser]', 'ent-a-user');
    await page.fill('input[name=signer_work_leader_user]', 'ent-a-user');
    await page.fill('input[name=signer_work_leader_name]', '钱负责');
    await page.fill('input[name=signer_unit_user]', 'ent-a-unit');
    await page.fill('input[name=signer_unit_name]', '孙主任');
    await shot(page, 'permit-apply-phone');
    await Promise.all([page.waitForURL(/\/permits\/ent-a-/), page.click('main form button[type=submit]')]);
    permitUrl = page.url();
    await expectText(page, 'h1', '受限空间作业');
    await expectText(page, 'main', '签批中');
    await page.goto(`${stack.baseUrl}/portal`);
    await untilShown(page, 'a.button:has-text("作业票签批")');
    await Promise.all([page.waitForURL(/\/tasks\//), page.click('a.button:has-text("作业票签批")')]);
    await page.check('input[name=approve]');
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith('/tasks/')),
      page.click('main form button[type=submit]'),
    ]);
  });

  test('the unit’s reviewer approves from its tasks: the permit is issued with a number and a PDF', async () => {
    const page = await signIn(browser, stack.baseUrl, 'ent-a-unit');
    await page.goto(`${stack.baseUrl}/portal`);
    await untilShown(page, 'a.button:has-text("作业票签批")');
    await Promise.all([page.waitForURL(/\/tasks\//), page.click('a.button:has-text("作业票签批")')]);
    expect(decodeURIComponent(page.url())).toMatch(/\/sign\/unit$/);
    await page.check('input[name=approve]');
    await page.fill('textarea[name=note]', '措施已落实，同意作业');
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith('/tasks/')),
      page.click('main form button[type=submit]'),
    ]);
    await page.goto(permitUrl);
    await untilShown(page, 'main a:has-text("PDF")');
    await expectText(page, 'main', '已签发');
    await expectText(page, 'main', 'ent-a作业票〔');
    await shot(page, 'permit-issued');
  });
});
