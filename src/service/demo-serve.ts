/**
 * The demo's second half: after the first sync, keep the simulators up and run the service on the demo's
 * config (short schedule, dashboard on 127.0.0.1), print how to log in and what to try, until Ctrl-C.
 */
import type { DemoSession } from '../app/demo.js';
import { ConnectorError } from '../core/errors.js';
import type { LoginHint } from './serve.js';
import { serveUntilSignalled } from './serve.js';

export interface DemoServeOptions {
  /** Preferred port; when taken, a free one is used. Default 8080. */
  readonly port?: number;
  readonly say: (line: string) => void;
}

/** The "what to try next" text, with exact commands against this demo's simulators. */
export function demoTips(session: DemoSession, login: LoginHint, token: string | undefined): string[] {
  const epicor = session.sims.epicor.url;
  const hubspot = session.sims.hubspot.url;
  const vendor = session.sims.epicor.control.list('Vendors')[0];
  const vendorNum = Number(vendor?.['VendorNum'] ?? 1);
  const company = session.sims.epicor.settings.companies[0] ?? 'EPIC06';
  const schedule = session.ctx.config.connections[0]?.schedule;
  const period = schedule?.kind === 'interval' ? `every ${schedule.text}` : 'on its schedule';
  const update = JSON.stringify({
    company,
    key: { VendorNum: vendorNum },
    changes: { Name: 'Renamed in Epicor ✓' },
  });
  const fault = JSON.stringify({
    failNext: { status: 503, count: 7, pathPrefix: '/crm/v3/objects/companies/batch/upsert' },
  });
  const update2 = JSON.stringify({
    company,
    key: { VendorNum: vendorNum },
    changes: { Name: 'Renamed again' },
  });
  return [
    '',
    `Dashboard: ${login.url}/`,
    token === undefined
      ? `  log in with the API token in ${login.tokenSource}`
      : `  log in with the API token: ${token}   (kept in ${login.tokenSource})`,
    `  the service syncs connection "demo" ${period}; the dashboard shows runs, cursors, failures and the audit trail.`,
    '',
    'Try next (in another terminal):',
    '  1. Change a vendor in the Epicor simulator, then watch the next run bring it to HubSpot:',
    `     curl -s -X POST ${epicor}/__control/records/Vendors/update -H 'content-type: application/json' -d '${update}'`,
    `     (then search the audit for "Renamed in Epicor" on the dashboard, or press "Sync now")`,
    '  2. Break delivery to HubSpot for one batch, change the vendor again, and let the next run fail:',
    `     curl -s -X POST ${hubspot}/__control/faults -H 'content-type: application/json' -d '${fault}'`,
    `     curl -s -X POST ${epicor}/__control/records/Vendors/update -H 'content-type: application/json' -d '${update2}'`,
    '     After the retries give up (about half a minute) the batch is listed under Failures with its reason;',
    '     the fault is used up by then, so press "Replay batch" and watch it succeed.',
    '  3. The JSON API and Prometheus metrics take the same token:',
    `     curl -s -H "Authorization: Bearer ${token ?? '<token>'}" ${login.url}/api/connections`,
    `     curl -s -H "Authorization: Bearer ${token ?? '<token>'}" ${login.url}/metrics | grep ml_connector_records`,
    '',
    'Press Ctrl-C to stop (the batch in flight is finished first; twice to stop at once).',
  ];
}

function portInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

/** Runs the service for the demo session until Ctrl-C. Returns whether it stopped gracefully. */
export async function serveDemo(
  session: DemoSession,
  options: DemoServeOptions,
): Promise<{ graceful: boolean }> {
  const attempt = (port: number) =>
    serveUntilSignalled({
      ctx: session.ctx,
      http: { port, host: '127.0.0.1' },
      say: options.say,
      banner: false,
      resumeHint: false,
      // The first sync has just run; the schedule takes over from here.
      service: { syncOnStart: false },
      onStarted: async (_service, login) => {
        if (login === undefined) return;
        const token =
          login.generated || !login.tokenSource.startsWith('ML_CONNECTOR_')
            ? await readToken(login)
            : undefined;
        for (const line of demoTips(session, login, token)) options.say(line);
      },
    });
  try {
    return await attempt(options.port ?? 8080);
  } catch (error) {
    if (!portInUse(error) || options.port === 0) throw error;
    options.say(`Port ${options.port ?? 8080} is taken; using a free one.`);
    return attempt(0);
  }
}

/** The demo prints its own (local, freshly generated) token so the user can log in. */
async function readToken(login: LoginHint): Promise<string | undefined> {
  const { readFile } = await import('node:fs/promises');
  try {
    return (await readFile(login.tokenSource, 'utf8')).trim();
  } catch (error) {
    throw new ConnectorError('ERR_API_TOKEN', `Could not read the API token from ${login.tokenSource}`, {
      cause: error,
    });
  }
}
