import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../core/manual-clock.js';
import type { MappedRecord } from '../sync/model.js';
import { createHubSpotDestination } from './destination.js';
import { recordingTransport, type Sim, simClient, startSim } from './testing/sim-harness.js';

const record = (
  kind: MappedRecord['kind'],
  sourceId: string,
  properties: Record<string, string>,
): MappedRecord => ({
  kind,
  sourceId,
  objectType: kind === 'vendor' || kind === 'customer' ? 'companies' : 'contacts',
  properties,
  contentHash: 'h',
  warnings: [],
});

describe('HubSpot Destination adapter against the simulator', () => {
  let sim: Sim;
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 9));
  before(async () => {
    sim = await startSim(clock);
  });
  after(async () => {
    await sim.close();
  });

  it('ensures schema, upserts, associates, reports failures with stable categories, archives', async () => {
    const destination = createHubSpotDestination(simClient(sim, clock, recordingTransport().transport), {
      extraProperties: [
        {
          objectType: 'companies',
          name: 'epicor_currency',
          label: 'Currency',
          type: 'string',
          fieldType: 'text',
        },
      ],
    });
    await destination.ensureSchema();
    assert.ok(sim.control.dump().customProperties.companies.some((p) => p.name === 'epicor_currency'));

    const companies = await destination.upsert('companies', [
      record('vendor', 'E:vendor:1', { name: 'Acme', epicor_currency: 'USD', epicor_record_type: 'vendor' }),
      record('customer', 'E:customer:1', { name: 'Bad', epicor_record_type: 'reseller' }),
    ]);
    const ok = companies.find((o) => o.sourceId === 'E:vendor:1');
    assert.equal(ok?.status, 'created');
    assert.deepEqual(
      companies.filter((o) => o.status === 'failed').map((o) => [o.sourceId, o.errorCategory]),
      [['E:customer:1', 'invalid_option']],
    );

    const contacts = await destination.upsert('contacts', [
      record('vendorContact', 'E:vc:1', { email: 'x@example.com', firstname: 'X' }),
      record('vendorContact', 'E:vc:2', { email: 'oops@', firstname: 'Y' }),
    ]);
    assert.equal(contacts.find((o) => o.sourceId === 'E:vc:2')?.errorCategory, 'invalid_email');
    const contactId = contacts.find((o) => o.sourceId === 'E:vc:1')?.hubspotId ?? '';
    const failures = await destination.associate([{ contactId, companyId: ok?.hubspotId ?? '' }]);
    assert.deepEqual(failures, []);
    assert.equal(sim.control.dump().associations.length > 0, true);

    await destination.archive('companies', [ok?.hubspotId ?? '']);
    assert.equal(sim.control.count('companies'), 0);
  });
});
