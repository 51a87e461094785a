import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../config/index.js';
import type { MappedRecord } from '../sync/model.js';
import type { Destination, UpsertOutcome } from '../sync/ports.js';
import { withLazySchema } from './lazy-schema.js';
import { isDeadLocalHolder, processHolder } from './lease.js';
import { connectionSecrets, MissingCredentialError, requiredFields } from './secrets.js';

const record = (sourceId: string): MappedRecord => ({
  kind: 'vendorContact',
  sourceId,
  objectType: 'contacts',
  properties: { email: `${sourceId}@example.com` },
  contentHash: 'h',
  warnings: [],
});

function recordingDestination(answer: (records: readonly MappedRecord[]) => UpsertOutcome[]) {
  const calls: string[] = [];
  const destination: Destination = {
    ensureSchema: async () => {
      calls.push('schema');
    },
    upsert: async (objectType, records) => {
      calls.push(`upsert ${objectType} ${records.map((r) => r.sourceId).join(',')}`);
      return answer(records);
    },
    associate: async (pairs) => {
      calls.push(`associate ${pairs.length}`);
      return [];
    },
    archive: async (objectType, ids) => {
      calls.push(`archive ${objectType} ${ids.length}`);
    },
  };
  return { destination, calls };
}

const config = (hubspotAuth: string, epicorAuth: string) =>
  parseConfig(
    `connections:
  - id: main
    epicor: { tenantUrl: "http://127.0.0.1:1/E", company: EPIC06, auth: ${epicorAuth} }
    hubspot: { baseUrl: "http://127.0.0.1:2", auth: ${hubspotAuth} }
`,
    { env: {}, baseDir: '/tmp' },
  ).connections[0];

describe('withLazySchema', () => {
  it('checks the schema before the first write only, never for an empty run', async () => {
    const { destination, calls } = recordingDestination((rs) =>
      rs.map((r) => ({ sourceId: r.sourceId, status: 'created', hubspotId: '1' })),
    );
    const lazy = withLazySchema(destination);
    await lazy.ensureSchema();
    await lazy.upsert('contacts', []);
    await lazy.associate([]);
    assert.deepEqual(calls, [], 'nothing to write → no request');
    await lazy.upsert('contacts', [record('a')]);
    await lazy.upsert('contacts', [record('b')]);
    assert.deepEqual(calls, ['schema', 'upsert contacts a', 'upsert contacts b']);
  });

  it('markReady skips the check; a failed check is retried on the next write', async () => {
    let fail = true;
    const { destination, calls } = recordingDestination(() => []);
    const flaky: Destination = {
      ...destination,
      ensureSchema: async () => {
        calls.push('schema');
        if (fail) throw new Error('down');
      },
    };
    const lazy = withLazySchema(flaky);
    await assert.rejects(lazy.upsert('contacts', [record('a')]), /down/);
    fail = false;
    await lazy.upsert('contacts', [record('a')]);
    assert.deepEqual(calls, ['schema', 'schema', 'upsert contacts a']);
    const ready = withLazySchema(destination);
    ready.markReady();
    await ready.archive('companies', ['1']);
    assert.equal(calls.at(-1), 'archive companies 1');
    assert.equal(calls.filter((c) => c === 'schema').length, 2);
  });
});

describe('connection secrets', () => {
  it('flattens the vault objects; a missing secret names itself and the command to set it', () => {
    const connection = config('{ kind: private-app }', '{ kind: basic, username: u }');
    assert.ok(connection);
    assert.deepEqual(requiredFields(connection, 'epicor'), ['apiKey', 'password']);
    assert.deepEqual(requiredFields(connection, 'hubspot'), ['token']);
    assert.deepEqual(connectionSecrets(connection, { apiKey: 'k', password: 'p' }, { token: 't' }), {
      'epicor.apiKey': 'k',
      'epicor.password': 'p',
      'hubspot.token': 't',
    });
    assert.throws(
      () => connectionSecrets(connection, { apiKey: 'k' }, undefined),
      (error: unknown) =>
        error instanceof MissingCredentialError &&
        error.code === 'ERR_CREDENTIALS_MISSING' &&
        /epicor\.password, hubspot\.token/.test(error.message) &&
        error.message.includes('`ml-connector credentials set epicor --connection main`') &&
        error.message.includes('`ml-connector credentials set hubspot --connection main`'),
    );
  });

  it('OAuth needs the client secret and refresh token', () => {
    const connection = config('{ kind: oauth, clientId: c }', '{ kind: basic, username: u }');
    assert.ok(connection);
    assert.deepEqual(requiredFields(connection, 'hubspot'), ['clientSecret', 'refreshToken']);
  });
});

describe('lease holders', () => {
  it('a holder naming a process of this host that is gone is dead; a live one is not', () => {
    const mine = processHolder();
    assert.equal(isDeadLocalHolder(mine), false, 'this process');
    const [prefix, host] = mine.split(':');
    assert.equal(isDeadLocalHolder(`${prefix}:${host}:${process.ppid}:abcd`), false, 'the parent is alive');
    assert.equal(isDeadLocalHolder(`${prefix}:${host}:2147483646:abcd`), true, 'no such pid');
    assert.equal(isDeadLocalHolder('cli:another-host:1:abcd'), false, 'another host: cannot tell');
    assert.equal(isDeadLocalHolder('garbage'), false);
  });
});
