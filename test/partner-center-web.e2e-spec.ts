/// <reference lib="dom" />
/**
 * The Partner Center as a person uses it, in real headless Chromium: sign-up through a recruiting link,
 * approval, sign-in, the dashboard's numbers against the API's, copying a link, collateral, the
 * ledger's explanation, the PDF, and the 429 message; axe-core on every page. With
 * UPDATE_SCREENSHOTS=1 the screenshots of the main pages are written to docs/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from './support/test-app';
import { buildWebApp, freePort, launchBrowser, seriousViolations } from './support/browser';
import {
  attempt,
  click,
  collect,
  createPartner,
  createProgram,
  decline,
  ingestAll,
  optIn,
  uniqueId,
} from './support/fixtures';
import { solidPng } from './support/images';
import { pdfPages } from './support/pdf-text';

jest.setTimeout(180_000);

const SHOTS =
  process.env['UPDATE_SCREENSHOTS'] === '1'
    ? resolve(__dirname, '../docs/screenshots')
    : join(tmpdir(), 'partner-center-shots');
mkdirSync(SHOTS, { recursive: true });

let t: TestApp;
let webDir: string;
let browser: BrowserContext;
let page: Page;
let base: string;
let token: string;
let partnerId: string;
const recruiter = { code: `Amy${Date.now().toString(36)}`, id: '' };
const newcomer = { code: `Jo${Date.now().toString(36)}`, password: 'jo-long-secret' };
let lastPosition = '';

const day = (offsetDays: number, time: string) => {
  const date = new Date(Date.now() + offsetDays * 86_400_000);
  return `${date.toISOString().slice(0, 10)}T${time}Z`;
};
const clickAt = day(-3, '09:00:00');

async function expectAccessible(name: string): Promise<void> {
  const violations = await seriousViolations(page);
  expect({ page: name, violations }).toEqual({ page: name, violations: [] });
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  [webDir, browser] = await Promise.all([buildWebApp(), launchBrowser()]);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  t = await startTestApp({ PUBLIC_BASE_URL: base, PARTNER_CENTER_DIR: webDir }, { port });
  const program = await createProgram(t, {
    name: 'Standard',
    default: { sale: [{ percent: '10' }, { percent: '3' }] },
  });
  recruiter.id = await createPartner(t, { code: recruiter.code, name: 'Amy Adams', programIds: [program] });
  await t
    .admin()
    .post('/v1/links')
    .send({ id: 'spring', code: 'spring', name: 'Spring', destinationUrl: 'https://shop.example.com/spring' })
    .expect(201);
  await t
    .admin()
    .post('/v1/links')
    .send({ id: 'summer', code: 'summer', name: 'Summer', destinationUrl: 'https://shop.example.com/summer' })
    .expect(201);
  await t
    .admin()
    .patch('/v1/settings')
    .send({ signup: { enabled: true, programIds: [program] } })
    .expect(200);
  await t
    .admin()
    .post('/v1/collateral')
    .field('kind', 'banner')
    .field('name', 'Spring banner')
    .field('linkId', 'spring')
    .attach('file', solidPng(468, 60, [29, 78, 216]), 'spring.png')
    .expect(201);
  await t
    .admin()
    .post('/v1/collateral')
    .field('kind', 'email')
    .field('name', 'Spring launch email')
    .field('subject', 'Our spring offer')
    .field('body', 'Hello!\n\nThe spring offer is here: {{trackingUrl}}\n\nSee you there.')
    .expect(201);
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(10_000);
  await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (webDir) await rm(webDir, { recursive: true, force: true });
});

describe('the Partner Center in Chromium', () => {
  it('serves the app at /partner-center/ and redirects / there', async () => {
    const root = await fetch(`${base}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/partner-center/');
    const deep = await fetch(`${base}/partner-center/ledger`);
    expect(deep.headers.get('content-type')).toMatch(/text\/html/);
    expect(deep.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('signs up through the recruiting link', async () => {
    await page.goto(`${base}/partner-center/join?ref=${recruiter.code}`);
    await page.getByRole('heading', { name: 'Join the partner program' }).waitFor();
    await expect(page.getByText(`You were invited by partner ${recruiter.code}.`).isVisible()).resolves.toBe(
      true,
    );
    await expectAccessible('join');
    await shot('join');
    await page.getByLabel(/^Partner code/).fill(newcomer.code);
    await page.getByLabel('Name', { exact: true }).fill('Jo Johnson');
    await page.getByLabel('Email', { exact: true }).fill('jo@example.com');
    await page.getByLabel(/^Password/).fill(newcomer.password);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByText('The merchant will review your application').waitFor();
  });

  it('refuses the sign-in until approved, then signs in after approval', async () => {
    const partners = await t.admin().get('/v1/partners').expect(200);
    const partner = (partners.body as { id: string; code: string; parentId: string; status: string }[]).find(
      (p) => p.code === newcomer.code,
    )!;
    expect(partner).toMatchObject({ status: 'pending', parentId: recruiter.id });
    partnerId = partner.id;

    await page.goto(`${base}/partner-center/login`);
    await page.getByLabel('Partner code').fill(newcomer.code);
    await page.getByLabel('Password').fill(newcomer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Your sign-up is waiting for approval').waitFor();
    await expectAccessible('sign-in');
    await shot('sign-in');

    await t.admin().post(`/v1/partners/${partnerId}/approve`).expect(200);
    // Activity for the dashboard: an ad, clicks, an opt-in, an order collected, one declined.
    const ad = await t
      .admin()
      .post(`/v1/partners/${partnerId}/ads`)
      .send({ linkId: 'spring', name: 'Newsletter', medium: 'email' })
      .expect(201);
    const [v1, v2, v3] = [uniqueId('v'), uniqueId('v'), uniqueId('v')];
    const results = await ingestAll(t, [
      click(clickAt, { partnerCode: newcomer.code, linkCode: 'spring', visitorId: v1 }),
      click(day(-3, '09:30:00'), {
        partnerCode: newcomer.code,
        linkCode: 'spring',
        adId: ad.body.id,
        visitorId: v2,
      }),
      click(day(-1, '14:00:00'), { partnerCode: newcomer.code, linkCode: 'summer', visitorId: v3 }),
      optIn(day(-3, '09:05:00'), { contactId: 'john', visitorId: v1, email: 'john@example.com' }),
      attempt(day(-3, '09:10:00'), {
        attemptId: 'a-web-1',
        orderId: 'o-web-1',
        contactId: 'john',
        visitorId: v1,
        items: [{ productId: 'premium', quantity: 1, unitPrice: 9700 }],
      }),
      collect(day(-3, '09:10:02'), 'a-web-1'),
      attempt(day(-1, '15:00:00'), {
        attemptId: 'a-web-2',
        orderId: 'o-web-2',
        contactId: 'mary',
        visitorId: v3,
        items: [{ productId: 'basic', quantity: 1, unitPrice: 4700 }],
      }),
      decline(day(-1, '15:00:01'), 'a-web-2'),
    ]);
    lastPosition = results[results.length - 1]!.position!;

    await page.getByLabel('Password').fill(newcomer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    token = (await page.evaluate(() => sessionStorage.getItem('partner-center-token')))!;
    expect(token).toBeTruthy();
  });

  it('shows on the dashboard the numbers the API answers', async () => {
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
    const stats = await t
      .as(token)
      .get(`/v1/me/link-stats?from=${from}&to=${to}&groupBy=link&waitFor=${lastPosition}`)
      .expect(200);
    const ledger = await t.as(token).get(`/v1/me/ledger?from=${from}&to=${to}`).expect(200);
    await page.reload();
    await page.locator('[data-metric="clicks"]').waitFor();
    const rows = stats.body.rows as Record<string, number>[];
    const total = (key: string) => rows.reduce((sum, row) => sum + row[key]!, 0);
    const usd = (minor: number) =>
      new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(minor / 100);
    const expected: Record<string, string> = {
      clicks: String(total('clicks')),
      uniqueVisitors: String(total('uniqueVisitors')),
      optIns: String(total('optIns')),
      orders: String(total('orders')),
      subscriptions: String(total('subscriptions')),
      declined: String(total('declined')),
      collected: String(total('collected')),
      revenue: usd(total('revenue')),
      commission: usd(ledger.body.commissions as number),
    };
    expect(expected).toMatchObject({
      clicks: '3',
      orders: '2',
      declined: '1',
      collected: '1',
      revenue: '$97.00',
      commission: '$9.70',
    });
    const shown: Record<string, string> = {};
    for (const key of Object.keys(expected))
      shown[key] = (await page.locator(`[data-metric="${key}"]`).textContent())!.trim();
    expect(shown).toEqual(expected);
    await expect(page.locator('.chart canvas').count()).resolves.toBeGreaterThanOrEqual(2);
    await expect(page.getByText('Clicks by ad medium').isVisible()).resolves.toBe(true);
    await expectAccessible('dashboard');
    await shot('dashboard');
  });

  it('copies a generated tracking URL from the links page', async () => {
    await page.getByRole('link', { name: 'Links' }).click();
    await page.getByRole('heading', { name: 'Link generator' }).waitFor();
    const links = await t.as(token).get('/v1/me/links').expect(200);
    const spring = (
      links.body as { id: string; trackingUrl: string; ads: { name: string; trackingUrl: string }[] }[]
    ).find((l) => l.id === 'spring')!;
    await page.locator('select[name=link]').selectOption('spring');
    await page.locator('select[name=ad]').selectOption({ label: 'Newsletter (email)' });
    await page.getByRole('button', { name: 'Copy the generated tracking URL' }).click();
    await page.getByRole('button', { name: 'Copied the generated tracking URL' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(spring.ads[0]!.trackingUrl);
    expect(copied).toBe(
      `${base}/r/${newcomer.code}/spring?ad=${(await t.as(token).get('/v1/me/ads')).body[0].id}`,
    );
    // Every tracking URL is listed.
    for (const link of links.body as { trackingUrl: string }[]) {
      await expect(page.getByText(link.trackingUrl, { exact: true }).count()).resolves.toBeGreaterThan(0);
    }
    await expectAccessible('links');
    await shot('links');
    // Creating an ad by medium.
    await page.getByLabel('Ad name').fill('Instagram bio');
    await page.locator('select[name=ad-medium]').selectOption('social');
    await page.getByRole('button', { name: 'Create ad' }).click();
    await page.getByText('Ad Instagram bio created.').waitFor();
    const ads = await t.as(token).get('/v1/me/ads').expect(200);
    expect((ads.body as { name: string; medium: string }[]).map((a) => `${a.name}/${a.medium}`)).toContain(
      'Instagram bio/social',
    );
  });

  it('gives collateral snippets that contain the tracking URL', async () => {
    await page.getByRole('link', { name: 'Collateral' }).click();
    await page.getByRole('heading', { name: 'Banners' }).waitFor();
    const url = `${base}/r/${newcomer.code}/spring`;
    const banner = page.locator('[data-collateral="Spring banner"] textarea');
    await expect(banner.inputValue()).resolves.toContain(`<a href="${url}">`);
    const email = page.locator('[data-collateral="Spring launch email"] textarea');
    await expect(email.inputValue()).resolves.toContain(`The spring offer is here: ${url}`);
    // The banner image loads.
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('img.banner');
      return img !== null && img.complete && img.naturalWidth === 468;
    });
    await page.getByRole('button', { name: 'Copy the text of Spring launch email' }).click();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toContain(url);
    await expectAccessible('collateral');
    await shot('collateral');
  });

  it('explains each commission in the ledger and downloads the PDF', async () => {
    await page.getByRole('link', { name: 'Ledger' }).click();
    await page.getByRole('heading', { name: 'Ledger' }).waitFor();
    const when = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' }).format(
      new Date(clickAt),
    );
    const explanation = `cookie from your click on link Spring, ${when} 09:00, last referring partner, 10% of $97.00`;
    const row = page.locator('tr', { hasText: explanation });
    await row.waitFor();
    await expect(row.locator('td.num').allTextContents()).resolves.toEqual(['$9.70', '$9.70']);
    await expectAccessible('ledger');
    await shot('ledger');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download PDF' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^ledger-${newcomer.code}-\\d{4}-\\d{2}-\\d{2}-\\d{4}-\\d{2}-\\d{2}\\.pdf$`),
    );
    const file = await download.path();
    const pages = await pdfPages(await readFile(file));
    expect(pages[0]).toContain(`Jo Johnson (${newcomer.code})`);
    expect(pages[0]).toContain('Commissions | $9.70');
    expect(pages[0]).toContain('Ending balance | $9.70');
    expect(pages[0]).toMatch(/Commission, sale level 1: premium \(attempt a-web-1\) \| \$9\.70 \| \$9\.70/);
  });

  it('signs out, and says clearly when sign-ins are limited (429)', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the Partner Center' }).waitFor();
    await expect(page.evaluate(() => sessionStorage.getItem('partner-center-token'))).resolves.toBeNull();
    for (let attempt = 0; attempt < 6; attempt++) {
      await page.getByLabel('Partner code').fill(recruiter.code);
      await page.getByLabel('Password').fill(`wrong-${attempt}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').waitFor();
      await page.waitForFunction(
        () => !(document.querySelector('button[type=submit]') as HTMLButtonElement).disabled,
      );
    }
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(
      /^Too many failed sign-ins\. For your security, please wait \d+ minutes before trying again\.$/,
    );
  });
});
