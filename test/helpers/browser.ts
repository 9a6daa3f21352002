/**
 * The browser of the e2e tests: Debian's chromium through playwright-core (no browser download),
 * a signed-in page per user, screenshots into test-artifacts/ (git-ignored). Without
 * /usr/bin/chromium (scripts/ensure-browser.sh installs it when run as root) the files using
 * `describeBrowser` are skipped, saying so.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, Browser, Page } from 'playwright-core';
import { PASSWORD } from '../e2e/world';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts');
export const haveBrowser = fs.existsSync(CHROMIUM);
if (!haveBrowser) console.warn(`test/e2e skipped: ${CHROMIUM} is missing (run scripts/ensure-browser.sh as root)`);
/**
 * Content-Security-Policy violations reported by any page of the browser (the app sends a strict
 * CSP, web/app.ts): each test of a `describeBrowser` block fails when one was reported during it.
 */
export const cspViolations: string[] = [];
export const describeBrowser: (name: string, fn: () => void) => void = haveBrowser
  ? (name, fn) =>
      describe(name, () => {
        fn();
        afterEach(() => expect(cspViolations.splice(0)).toEqual([]));
      })
  : describe.skip;

/** Headless chromium; also makes the artifacts folder. Every page it opens reports CSP violations into `cspViolations`. */
export async function launchBrowser(): Promise<Browser> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args: Parameters<Browser['newContext']>) => {
    const context = await newContext(...args);
    context.on('page', (page) =>
      page.on(
        'console',
        (msg) =>
          msg.type() === 'error' &&
          /Content Security Policy/i.test(msg.text()) &&
          cspViolations.push(`${page.url()}: ${msg.text()}`),
      ),
    );
    return context;
  };
  return browser;
}

/** A new context (Chinese, Beijing time) signed in through the login page as `username`. */
export async function signIn(
  browser: Browser,
  baseUrl: string,
  username: string,
  viewport = { width: 1280, height: 900 },
): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
  return page;
}

/** A full-page screenshot `test-artifacts/<name>.png`. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Waits until an element matching `selector` shows `text`. */
export async function expectText(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).filter({ hasText: text }).first().waitFor({ timeout: 10_000 });
}
