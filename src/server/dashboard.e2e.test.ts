/**
 * The dashboard in a real headless Chromium (Debian's `chromium`, driven by playwright-core) against the
 * real service: it logs in, shows a finished run, lists a failed batch with its reason, and its replay
 * button replays the batch, which then shows as replayed by a succeeded run. Names with quotes, markup and
 * emoji render as text. Set DASHBOARD_SCREENSHOT=<file.png> to keep a screenshot.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { type ServiceHarness, startServiceHarness } from '../service/testing/service-harness.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const skip =
  !available && process.env['CI'] !== 'true'
    ? `chromium is not installed at ${CHROMIUM} (apt-get install chromium); CI runs this test`
    : false;

const TRICKY = 'Acme "Best" <script>window.__pwned=1</script> & Söhne 🚀';

describe('dashboard in a headless browser', { skip }, () => {
  let h: ServiceHarness;
  let browser: Browser;

  before(async () => {
    h = await startServiceHarness({ records: 20 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  const finished = () => h.service.scheduler.once('run:finished', (e) => e.connectionId === 'demo');

  it('shows a finished run and replays a failed batch with its button', async () => {
    // A real first sync, then a run whose company batch fails (HubSpot answers 503 to every attempt).
    let done = finished();
    assert.equal((await h.api('/api/connections/demo/sync', { method: 'POST' })).status, 202);
    assert.equal((await done).summary.status, 'succeeded');
    const vendor = h.sims.epicor.control.list('Vendors')[0];
    assert.ok(vendor);
    h.sims.epicor.control.update('Vendors', { VendorNum: vendor['VendorNum'] }, { Name: TRICKY });
    h.sims.hubspot.control.setFaults({
      failNext: { status: 503, count: 7, pathPrefix: '/crm/v3/objects/companies/batch/upsert' },
    });
    done = finished();
    assert.equal((await h.api('/api/connections/demo/sync', { method: 'POST' })).status, 202);
    assert.equal((await done).summary.status, 'failed');
    h.sims.hubspot.control.clearFaults();

    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    await page.goto(`${h.url}/connections/demo`);
    assert.match(page.url(), /\/login\?next=/, 'not logged in: the login form');
    await page.fill('#token', 'wrong-token-wrong-token');
    await page.click('button[type=submit]');
    assert.match((await page.locator('[role=alert]').textContent()) ?? '', /not the API token/);
    await page.fill('#token', h.token);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/connections\/demo$/);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'mlc_session');
    assert.ok(session?.httpOnly && session.sameSite === 'Strict', 'HttpOnly, SameSite=Strict session cookie');
    assert.ok(!cookies.some((c) => c.value.includes(h.token)), 'the token never reaches the browser');
    assert.ok(!(await page.content()).includes(h.token));

    assert.equal(await page.locator('tr[data-testid=run-row][data-status=succeeded]').count(), 1);
    assert.equal(await page.locator('tr[data-testid=run-row][data-status=failed]').count(), 1);
    assert.equal(await page.locator('svg.chart g.bar').count(), 2, 'one throughput bar per finished run');
    const failure = page.locator('[data-testid=failure]');
    assert.equal(await failure.count(), 1);
    const failureText = (await failure.textContent()) ?? '';
    assert.match(failureText, /503/, 'the reason is shown');
    assert.ok(failureText.includes(TRICKY), 'the record name is shown as text, markup and emoji intact');
    assert.equal(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned), undefined);
    assert.deepEqual(dialogs, []);
    const batchId = await failure.getAttribute('data-batch');
    assert.ok(batchId);

    if (process.env['DASHBOARD_SCREENSHOT']) {
      await page.screenshot({ path: process.env['DASHBOARD_SCREENSHOT'], fullPage: true });
    }

    done = finished();
    await page.click(`[data-testid=replay-batch][data-batch="${batchId}"]`);
    await page.waitForURL(/\/connections\/demo\?notice=/);
    assert.equal((await done).summary.status, 'succeeded');
    // The page reloads itself when the live run ends; if the replay was already over, it shows the end state.
    await page.locator('[data-testid=no-failures]').waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('tr[data-testid=run-row][data-status=succeeded]').count(), 2);

    // The first run's page counts its records per stream.
    const firstRun = (await h.ctx.store.runs.listRecent({ limit: 10 })).at(-1);
    await page.goto(`${h.url}/runs/${firstRun?.id}`);
    const vendorRow = page.locator('tr[data-testid=run-stream-row][data-stream=vendor]');
    const vendorsCreated = Number((await vendorRow.locator('td').nth(1).textContent())?.replace(/,/g, ''));
    assert.ok(vendorsCreated > 0, 'vendors created in the first run');
    assert.ok((await page.locator('tr[data-testid=run-stream-row]').count()) >= 2, 'vendors and customers');

    await page.goto(`${h.url}/runs/${(await h.ctx.store.batches.get(Number(batchId)))?.runId}`);
    const batchRow = page.locator(`tr[data-testid=batch-row][data-batch="${batchId}"]`);
    assert.match((await batchRow.textContent()) ?? '', /replayed by \d+/);

    await page.goto(`${h.url}/audit`);
    await page.fill('input[name=q]', '<script>');
    await page.click('form[role=search] button[type=submit]');
    await page.waitForURL(/\/audit\?q=/);
    const rows = page.locator('[data-testid=audit-row]');
    assert.ok((await rows.count()) >= 2, 'the failed and the replayed write are in the audit trail');
    assert.ok(((await rows.first().textContent()) ?? '').includes(TRICKY));
    assert.equal(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned), undefined);

    // Relative times tick in the page (every 30 s) without a reload.
    await page.clock.install();
    await page.goto(`${h.url}/connections/demo`);
    const lastRun = page.locator('time[data-relative]').first();
    const shown = await lastRun.textContent();
    await page.clock.runFor(61_000);
    const ticked = (await lastRun.textContent()) ?? '';
    assert.notEqual(ticked, shown);
    assert.match(ticked, /^\d+ min \d+ s ago$/, 'the last run, a minute later');
    await page.close();
  });
});
