import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { UsageError } from '../output/errors.js';
import {
  envVarName,
  MAX_SECRET_INPUT_BYTES,
  parseSecretText,
  promptSecrets,
  readAll,
  resolveSecretFields,
  secretsFromEnv,
} from './secret-input.js';

const EPICOR_FIELDS = ['apiKey', 'password', 'clientSecret'];
const HUBSPOT_FIELDS = ['token', 'clientSecret', 'refreshToken'];
const SECRET = 'S3cr3t-value=with/odd+chars';

function epicor(text: string, needed = ['apiKey', 'password']) {
  return resolveSecretFields(
    'epicor',
    parseSecretText(text),
    needed,
    EPICOR_FIELDS,
    'connection "main" (basic)',
  );
}

/** Asserts a UsageError whose message matches `pattern` and never contains `secret`. */
function refuses(fn: () => unknown, pattern: RegExp, secret = SECRET) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes(secret), `message leaks the secret: ${error.message}`);
    return true;
  });
}

describe('parseSecretText + resolveSecretFields', () => {
  it('reads a JSON object', () => {
    assert.deepEqual(epicor(JSON.stringify({ apiKey: SECRET, password: 'pw' })), {
      apiKey: SECRET,
      password: 'pw',
    });
  });

  it('reads KEY=value lines in any of the documented spellings', () => {
    const text = [
      '# Epicor secrets',
      '',
      `export ML_CONNECTOR_EPICOR_API_KEY=${SECRET}`,
      "PASSWORD='pw with spaces '",
    ].join('\r\n');
    assert.deepEqual(epicor(text), { apiKey: SECRET, password: 'pw with spaces ' });
    assert.deepEqual(epicor(`api_key = "${SECRET}"\nEpicor_Password=pw\n`), {
      apiKey: SECRET,
      password: 'pw',
    });
    assert.deepEqual(epicor(`apiKey=${SECRET}\npassword=a=b==\n`), { apiKey: SECRET, password: 'a=b==' });
  });

  it('takes a lone line as the value when one field is needed, even with = in it', () => {
    const one = (text: string) =>
      resolveSecretFields('hubspot', parseSecretText(text), ['token'], HUBSPOT_FIELDS, 'connection "main"');
    assert.deepEqual(one('pat-na1-1234\n'), { token: 'pat-na1-1234' });
    assert.deepEqual(one('abcdEF==\n'), { token: 'abcdEF==' });
    assert.deepEqual(one('TOKEN=pat-na1-1234'), { token: 'pat-na1-1234' });
    assert.deepEqual(one('access_token=pat-na1-1234'), { token: 'pat-na1-1234' });
  });

  it('never puts a value in an error message', () => {
    refuses(() => epicor(`{"apiKey": "${SECRET}", oops}`), /not valid JSON/);
    refuses(() => epicor('bare+secret/line\nPASSWORD=pw'), /line 1 is not KEY=value/, 'bare+secret');
    refuses(() => epicor(`${SECRET}\nPASSWORD=pw`), /line 1: unknown name/);
    refuses(() => epicor(`${SECRET}=x\nPASSWORD=pw`), /line 1: unknown name/, SECRET);
    refuses(() => epicor(`APIKEY=${SECRET}\nAPIKEY=${SECRET}\nPASSWORD=x`), /given twice/);
    refuses(() => epicor(JSON.stringify({ apiKey: SECRET, password: 5 })), /key 2 .* not a string/);
  });

  it('names missing, empty and unused fields', () => {
    refuses(() => epicor(`API_KEY=${SECRET}`), /missing epicor\.password/);
    refuses(() => epicor(`API_KEY=${SECRET}\nPASSWORD=`), /epicor\.password is empty/);
    refuses(
      () => epicor(`API_KEY=${SECRET}\nPASSWORD=x\nCLIENT_SECRET=y`),
      /epicor\.clientSecret is not used by/,
    );
    refuses(() => epicor(''), /stdin is empty/);
    refuses(() => epicor('[1,2]'), /line 1 is not KEY=value/);
    refuses(() => epicor('{"a": [1]} '), /key 1 .* not a string/);
    refuses(() => epicor('x'.repeat(MAX_SECRET_INPUT_BYTES + 1)), /larger than/);
  });
});

describe('environment variables', () => {
  it('uses the documented names', () => {
    assert.equal(envVarName('epicor', 'apiKey'), 'ML_CONNECTOR_EPICOR_API_KEY');
    assert.equal(envVarName('epicor', 'password'), 'ML_CONNECTOR_EPICOR_PASSWORD');
    assert.equal(envVarName('epicor', 'clientSecret'), 'ML_CONNECTOR_EPICOR_CLIENT_SECRET');
    assert.equal(envVarName('hubspot', 'token'), 'ML_CONNECTOR_HUBSPOT_TOKEN');
    assert.equal(envVarName('hubspot', 'refreshToken'), 'ML_CONNECTOR_HUBSPOT_REFRESH_TOKEN');
  });

  it('reads the needed variables and names every missing one', () => {
    const env = { ML_CONNECTOR_EPICOR_API_KEY: ` ${SECRET} `, ML_CONNECTOR_EPICOR_PASSWORD: 'pw' };
    assert.deepEqual(secretsFromEnv('epicor', ['apiKey', 'password'], env, 'c'), {
      apiKey: SECRET,
      password: 'pw',
    });
    refuses(
      () =>
        secretsFromEnv(
          'hubspot',
          ['clientSecret', 'refreshToken'],
          { ML_CONNECTOR_HUBSPOT_CLIENT_SECRET: '' },
          'c',
        ),
      /ML_CONNECTOR_HUBSPOT_CLIENT_SECRET, ML_CONNECTOR_HUBSPOT_REFRESH_TOKEN, which are not set/,
    );
  });
});

describe('prompts and stdin', () => {
  it('asks once per needed field, with a readable label', async () => {
    const asked: string[] = [];
    const values = await promptSecrets('epicor', ['apiKey', 'password'], async (message) => {
      asked.push(message);
      return ` answer${asked.length} `;
    });
    assert.deepEqual(asked, ['Epicor API key:', 'Epicor password:']);
    assert.deepEqual(values, { apiKey: 'answer1', password: 'answer2' });
  });

  it('reads a whole stream and refuses an oversized one', async () => {
    assert.equal(await readAll(Readable.from([Buffer.from('API_'), Buffer.from('KEY=x\n')])), 'API_KEY=x\n');
    await assert.rejects(
      readAll(Readable.from([Buffer.alloc(MAX_SECRET_INPUT_BYTES), Buffer.from('x')])),
      /larger than/,
    );
  });
});
