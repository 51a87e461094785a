import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import pg from 'pg';
import { openStore } from './open.js';
import { defineStoreContract } from './store.contract.js';

const url = process.env.ML_CONNECTOR_TEST_PG_URL;

if (url === undefined || url === '') {
  if (process.env.CI === 'true') {
    describe('store contract: PostgreSQL', () => {
      it('needs ML_CONNECTOR_TEST_PG_URL in CI', () => {
        assert.fail(
          'ML_CONNECTOR_TEST_PG_URL is not set but CI=true: .ci/run must start PostgreSQL and export it',
        );
      });
    });
  } else {
    describe('store contract: PostgreSQL', () => {
      it('runs against a real server', {
        skip: 'ML_CONNECTOR_TEST_PG_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres); .ci/run sets it',
      }, () => {});
    });
  }
} else {
  const pgUrl = url;
  let counter = 0;
  // Each test gets its own schema, dropped afterwards, so tests and files never see each other's rows.
  defineStoreContract('PostgreSQL', async () => {
    counter += 1;
    const pgSchema = `store_test_${process.pid}_${counter}_${randomBytes(3).toString('hex')}`;
    return {
      reopenable: true,
      open: (options = {}) => openStore({ postgresUrl: pgUrl, pgSchema, pgPoolSize: 4, ...options }),
      dispose: async () => {
        const client = new pg.Client({ connectionString: pgUrl });
        await client.connect();
        try {
          await client.query(`drop schema if exists "${pgSchema}" cascade`);
        } finally {
          await client.end();
        }
      },
    };
  });
}
