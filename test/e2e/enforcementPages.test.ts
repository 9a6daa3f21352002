/**
 * Enforcement in a real browser against the real stack: a regulator opens a penalty from a case page
 * and works it to the advance notice (行政处罚告知书); the enterprise finds the notice among its
 * documents on a phone, opens the PDF and answers with a statement and a hearing request; another
 * enterprise cannot open the document. Screenshots in test-artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, expectText, launchBrowser, shot, signIn } from '../helpers/browser';
import { startStack, Stack } from '../helpers/stack';
import { seedWorld } from './world';

let stack: Stack;
let browser: Browser;
const phone = { width: 390, height: 844 };

/** Reloads the page until `selector` is on it: the workflow writes what the page shows a moment after the post. */
async function untilShown(page: Page, selector: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.locator(selector).count())) {
    if (Date.now() > deadline) throw new Error(`${selector} not shown on ${page.url()} within ${timeoutMs} ms`);
    await page.waitForTimeout(250);
    await page.reload();
  }
}

describeBrowser('a penalty in the browser', () => {
  beforeAll(async () => {
    stack = await startStack({ web: true });
    await seedWorld(stack.models);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  let penaltyUrl: string;
  let documentHref: string;

  test('the regulator opens a penalty from the warning page, files it and records the investigation; the advance notice is listed on the case', async () => {
    const page = await signIn(browser, stack.baseUrl, 'reg-east');
    await page.goto(`${stack.baseUrl}/cases/${encodeURIComponent('risk-warning/ent-a')}`);
    await page.fill('form[action$="/penalty"] textarea[name=violation]', '除尘器泄爆片损坏逾期未更换');
    await Promise.all([
      page.waitForURL(/\/cases\/penalty/),
      page.click('form[action$="/penalty"] button[type=submit]'),
    ]);
    penaltyUrl = page.url();
    await expectText(page, 'h1', '行政处罚');
    await untilShown(page, 'a.button:has-text("行政处罚立案")');
    await Promise.all([page.waitForURL(/\/tasks\//), page.click('a.button:has-text("行政处罚立案")')]);
    await page.fill('textarea[name=summary]', '复查不合格，予以立案');
    await Promise.all([page.waitForURL(/\/cases\//), page.click('main form button[type=submit]')]);
    await untilShown(page, 'a.button:has-text("调查取证")');
    await Promise.all([page.waitForURL(/\/tasks\//), page.click('a.button:has-text("调查取证")')]);
    await page.fill('textarea[name=evidence]', '现场检查笔录\n复查照片');
    await page.fill('textarea[name=proposedPenalty]', '罚款人民币二万元');
    await shot(page, 'penalty-investigation-form');
    await Promise.all([page.waitForURL(/\/cases\//), page.click('main form button[type=submit]')]);
    // The timeline entry follows the document and its mail to the enterprise.
    await untilShown(page, '.timeline li:has-text("文书送达")');
    await expectText(page, 'ul.documents', '行政处罚告知书');
    await expectText(page, '.timeline', '文书送达');
    await shot(page, 'penalty-case-with-document');
  });

  test('the enterprise finds the advance notice among its documents on a phone, opens the PDF, and asks for a hearing', async () => {
    const page = await signIn(browser, stack.baseUrl, 'ent-a-user', phone);
    await page.goto(`${stack.baseUrl}/portal`);
    await expectText(page, 'ul.documents', '行政处罚告知书');
    await shot(page, 'portal-documents');
    documentHref = (await page.locator('ul.documents a', { hasText: '行政处罚告知书' }).first().getAttribute('href'))!;
    const pdf = await page.request.get(`${stack.baseUrl}${documentHref}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    await Promise.all([page.waitForURL(/\/tasks\//), page.click('a.button:has-text("陈述申辩或听证申请")')]);
    await page.fill('textarea[name=statement]', '泄爆片已于次日更换，请求从轻处罚');
    await page.check('input[name=hearingRequested]');
    await shot(page, 'portal-penalty-statement');
    await Promise.all([page.waitForURL(/\/cases\//), page.click('main form button[type=submit]')]);
    await untilShown(page, '.timeline li:has-text("陈述申辩/听证申请")');
    await expectText(page, '.timeline', '陈述申辩/听证申请');
    expect(page.url().startsWith(penaltyUrl)).toBe(true);
  });

  test('another enterprise cannot open the document (403)', async () => {
    const page = await signIn(browser, stack.baseUrl, 'ent-b-user', phone);
    const res = await page.request.get(`${stack.baseUrl}${documentHref}`);
    expect(res.status()).toBe(403);
  });
});
