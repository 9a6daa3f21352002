/**
 * The risk model's pages in a real browser (issue 14), screenshots in test-artifacts/: the enterprise follows its
 * portal's link to its risk index and sees the composition (each factor, weight, value, contribution, how to lower
 * it); the regulator sees the distribution; the administrator previews a draft's bands before saving. The
 * computations are stored by the recompute activity itself (as the schedule would), not by the pages.
 */
import type { Browser } from 'playwright-core';
import { createRiskActivities } from '../../activities/risk';
import { describeBrowser, expectText, launchBrowser, shot, signIn } from '../helpers/browser';
import { startStack, Stack } from '../helpers/stack';
import { seedWorld } from './world';

let stack: Stack;
let browser: Browser;

describeBrowser('the risk model’s pages in a browser', () => {
  beforeAll(async () => {
    stack = await startStack({ web: true });
    await seedWorld(stack.models);
    await createRiskActivities(stack.models).recomputeRisk({
      enterpriseIds: ['ent-a', 'ent-b'],
      trigger: 'schedule',
      at: new Date().toISOString(),
    });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('the enterprise sees its level and the composition of its index from the portal', async () => {
    const page = await signIn(browser, stack.baseUrl, 'ent-a-user');
    await page.goto(`${stack.baseUrl}/portal`);
    await Promise.all([page.waitForURL(/\/portal\/risk$/), page.click('text=风险指数与构成')]);
    const c = (await stack.models.RiskComputation.findOne({ enterpriseId: 'ent-a', latest: true }).lean())!;
    await expectText(page, '.risk-score', String(c.score));
    const rows = await page.$$eval('#risk-composition tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())),
    );
    expect(rows).toHaveLength(c.components.length);
    const declared = rows.find((r) => r[0].startsWith('固有风险等级'))!;
    const component = c.components.find((x) => x.factor === 'declared_grade')!;
    expect(declared.slice(1, 5)).toEqual([
      String(component.weight),
      String(component.measured),
      `${Math.round(component.value * 100)}%`,
      String(component.contribution),
    ]);
    expect(declared[5]).toContain('重新申报');
    await shot(page, 'risk-portal-composition');
    await page.click('text=计算历史');
    await expectText(page, 'table', '定时计算');
  });

  test('the regulator sees the distribution; the administrator previews bands before saving', async () => {
    const reg = await signIn(browser, stack.baseUrl, 'reg-east');
    await reg.goto(`${stack.baseUrl}/risk`);
    await expectText(reg, '#risk-total', '1');
    await shot(reg, 'risk-distribution');
    const admin = await signIn(browser, stack.baseUrl, 'admin1');
    await admin.goto(`${stack.baseUrl}/admin/policies/risk`);
    await admin.fill('input[name="groups.dust_explosion.bands.blue"]', '1');
    await Promise.all([admin.waitForURL(/\/admin\/policies\/risk\/preview$/), admin.click('text=预览分级')]);
    await expectText(admin, '#preview', '分级预览');
    await shot(admin, 'risk-rules-preview');
  });
});
