/**
 * The enterprise's configuration forms on a phone (390×844, Debian's chromium) against the real
 * stack: contacts edited and saved with a flash, a refused threshold shown with its field marked,
 * the cleaning plan. Screenshots in test-artifacts/portal-config-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, expectText, launchBrowser, shot, signIn } from '../helpers/browser';
import { startStack, Stack } from '../helpers/stack';
import { seedWorld } from './world';

let stack: Stack;
let browser: Browser;
const PHONE = { width: 390, height: 844 };

describeBrowser('the enterprise configures its own data on a phone', () => {
  beforeAll(async () => {
    stack = await startStack({ web: true });
    await seedWorld(stack.models);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const submit = (page: Page, form: string) =>
    Promise.all([page.waitForLoadState('load'), page.click(`${form} button[type=submit]`)]);

  test('edits its contacts, is refused a threshold above the range, and saves its cleaning plan', async () => {
    const page = await signIn(browser, stack.baseUrl, 'ent-a-user', PHONE);
    await page.goto(`${stack.baseUrl}/portal/config`);
    await expectText(page, 'section', '运营公司');
    await shot(page, 'portal-config-phone');

    await page.click('text=修改企业信息');
    await page.fill('input[name="contacts.1.name"]', '赵六');
    await page.fill('input[name="contacts.1.phone"]', '13600000000');
    await submit(page, 'form[action="/portal/config/enterprise"]');
    await expectText(page, '.ok', '已保存');
    await shot(page, 'portal-config-enterprise-phone');
    expect((await stack.models.Enterprise.findById('ent-a').lean())!.contacts.map((c) => c.name)).toEqual([
      '张三',
      '赵六',
    ]);

    await page.goto(`${stack.baseUrl}/portal/config/devices/dev-a1`);
    await page.fill('input[name="indicators.0.rangeMax"]', '1000');
    await page.fill('input[name="indicators.0.alarmHigh"]', '1500');
    await submit(page, 'form[action="/portal/config/devices/dev-a1"]');
    await expectText(page, '.error', 'indicators.0.alarmHigh');
    expect(await page.getAttribute('input[name="indicators.0.alarmHigh"]', 'aria-invalid')).toBe('true');
    await shot(page, 'portal-config-device-refused-phone');
    expect((await stack.models.Device.findById('dev-a1').lean())!.indicators[0].alarmHigh).toBeUndefined();

    await page.goto(`${stack.baseUrl}/portal/config/cleaning-plan`);
    await page.fill('input[name="items.0.item"]', '除尘器灰斗');
    await page.selectOption('select[name="items.0.frequency"]', 'per_shift');
    await submit(page, 'form[action="/portal/config/cleaning-plan"]');
    await expectText(page, '.ok', '已保存');
    await shot(page, 'portal-config-cleaning-plan-phone');
    await page.context().close();
  });

  test('adds a device from the indicator catalogue: picks an entry, 从目录填入 fills the row (no script), saves it', async () => {
    const page = await signIn(browser, stack.baseUrl, 'ent-a-user', PHONE);
    await page.goto(`${stack.baseUrl}/portal/config/devices/new`);
    await page.fill('input[name="id"]', 'dev-a-cat');
    await page.fill('input[name="name"]', '3号除尘器');
    await page.fill('input[name="kind"]', 'dust_collector_sensor');
    await page.selectOption('select[name="indicators.0.catalogueCode"]', 'dust.lock_air_unloading_fault');
    await Promise.all([page.waitForLoadState('load'), page.click('button[name="fromCatalogue"]')]);
    await expectText(page, '.ok', '锁气卸灰故障信号');
    expect(await page.inputValue('input[name="indicators.0.name"]')).toBe('锁气卸灰故障信号');
    expect(await page.inputValue('select[name="indicators.0.kind"]')).toBe('fault');
    expect(await page.inputValue('input[name="indicators.0.intervalSec"]')).toBe('300');
    await shot(page, 'portal-config-device-catalogue-phone');
    expect(await stack.models.Device.exists({ _id: 'dev-a-cat' })).toBeNull();
    await submit(page, 'form[action="/portal/config/devices"]');
    await expectText(page, '.ok', '已保存');
    expect((await stack.models.Device.findById('dev-a-cat').lean())!.indicators).toEqual([
      expect.objectContaining({
        code: 'lock_air_unloading_fault',
        kind: 'fault',
        catalogueCode: 'dust.lock_air_unloading_fault',
      }),
    ]);
    await page.context().close();
  });
});
