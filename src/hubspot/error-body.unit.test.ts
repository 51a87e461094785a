import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  extractMissingScopes,
  isDailyLimit,
  isNonUniqueIdPropertyError,
  parseErrorBody,
  parsePropertyErrors,
  primaryErrorCode,
} from './error-body.js';

describe('parseErrorBody', () => {
  it('keeps the fields the client reads and coerces context values to string arrays', () => {
    const body = parseErrorBody({
      status: 'error',
      message: 'x',
      category: 'OBJECT_NOT_FOUND',
      correlationId: 'c-1',
      context: { ids: ['A', 'B'], single: 'C', nested: { a: 1 } },
      errors: [{ message: 'm', code: 'k', context: { requiredScopes: ['s1'] } }, 'junk'],
    });
    assert.equal(body.category, 'OBJECT_NOT_FOUND');
    assert.deepEqual(body.context, { ids: ['A', 'B'], single: ['C'] });
    assert.deepEqual(body.details, [{ message: 'm', code: 'k', context: { requiredScopes: ['s1'] } }]);
  });

  it('never throws on text, HTML or odd shapes', () => {
    assert.deepEqual(parseErrorBody('<html>bad gateway</html>'), {
      message: '<html>bad gateway</html>',
      context: {},
      details: [],
    });
    assert.deepEqual(parseErrorBody(null), { context: {}, details: [] });
    assert.deepEqual(parseErrorBody([1, 2]), { context: {}, details: [] });
    assert.equal(parseErrorBody('{"message":"ok","category":"RATE_LIMITS"}').category, 'RATE_LIMITS');
  });
});

describe('parsePropertyErrors', () => {
  it('extracts the JSON array embedded in a validation message', () => {
    const message =
      'Property values were not valid: [{"isValid":false,"message":"Email address name@domain.<TLD> is invalid","error":"INVALID_EMAIL","name":"email"},{"isValid":false,"message":"Enter a number","error":"INVALID_NUMBER"}]';
    assert.deepEqual(parsePropertyErrors(message), [
      { code: 'INVALID_EMAIL', name: 'email', message: 'Email address name@domain.<TLD> is invalid' },
      { code: 'INVALID_NUMBER', message: 'Enter a number' },
    ]);
    assert.equal(primaryErrorCode({ message, context: {}, details: [] }), 'INVALID_EMAIL');
  });

  it('tolerates trailing text, a single object, truncation and plain text', () => {
    assert.deepEqual(parsePropertyErrors('bad: [{"error":"INVALID_OPTION","name":"type"}] (see docs)'), [
      { code: 'INVALID_OPTION', name: 'type' },
    ]);
    assert.deepEqual(parsePropertyErrors('bad: {"error":"PROPERTY_DOESNT_EXIST","name":"bogus"}'), [
      { code: 'PROPERTY_DOESNT_EXIST', name: 'bogus' },
    ]);
    assert.deepEqual(parsePropertyErrors('Property values were not valid: [{"error":"INVA'), []);
    assert.deepEqual(parsePropertyErrors('Contact already exists. Existing ID: 37765128953'), []);
    assert.deepEqual(parsePropertyErrors(undefined), []);
  });

  it('falls back to a top-level error code', () => {
    assert.equal(
      primaryErrorCode({ message: 'no json', error: 'INVALID_OPTION', context: {}, details: [] }),
      'INVALID_OPTION',
    );
  });
});

describe('extractMissingScopes', () => {
  it('reads requiredGranularScopes, requiredScopes and missingScopes', () => {
    const granular = parseErrorBody({
      category: 'MISSING_SCOPES',
      errors: [
        { message: 'One or more…', context: { requiredGranularScopes: ['crm.objects.companies.write'] } },
      ],
    });
    assert.deepEqual(extractMissingScopes(granular), ['crm.objects.companies.write']);
    const old = parseErrorBody({ errors: [{ context: { requiredScopes: ['contacts'] } }] });
    assert.deepEqual(extractMissingScopes(old), ['contacts']);
    const spec = parseErrorBody({ context: { missingScopes: ['a', 'b'] } });
    assert.deepEqual(extractMissingScopes(spec), ['a', 'b']);
  });
});

describe('classifiers', () => {
  it('spots DAILY 429s and non-unique upsert keys', () => {
    assert.ok(isDailyLimit(parseErrorBody({ policyName: 'DAILY' })));
    assert.ok(isDailyLimit(parseErrorBody({ message: 'You have reached your daily limit.' })));
    assert.ok(!isDailyLimit(parseErrorBody({ policyName: 'TEN_SECONDLY_ROLLING' })));
    assert.ok(
      isNonUniqueIdPropertyError(
        parseErrorBody({
          message:
            'Unable to perform update/upsert by non-unique 0-2 property hs_object_id in portal ID 21939747',
        }),
      ),
    );
  });
});
