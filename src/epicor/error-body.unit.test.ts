import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyUnauthorized, isLicenseExhausted, parseErrorBody, scrubApiKeyEcho } from './error-body.js';
import { parseJsonPreservingBigInts, quoteUnsafeIntegers } from './json.js';

// Bodies captured live (reference epicor-samples/error-401-*.json, S2).
const INVALID_CREDENTIALS =
  '{"HttpStatus":401,"ReasonPhrase":"REST API Exception","ErrorMessage":"Invalid username or password.","ErrorType":"System.UnauthorizedAccessException","CorrelationId":"41893675-a27f-467a-be02-7af2ed7d708c"}';
const INVALID_API_KEY =
  '{"HttpStatus":401,"ReasonPhrase":"REST API Exception","ErrorMessage":"Invalid API Key llave-invalida.\\r\\nCompany CFSJ_LAF.","ErrorType":"System.UnauthorizedAccessException","CorrelationId":"96d27258-a13c-4b16-8a51-6ce0d28a5619"}';
const ACCESS_DENIED =
  '{"HttpStatus":401,"ReasonPhrase":"REST API Exception","ErrorMessage":"Access denied (Erp.BO.Company.GetRows).","ErrorType":"System.UnauthorizedAccessException","CorrelationId":"1d6f1747-acae-4391-9f75-b04f61229a6d"}';

describe('error bodies', () => {
  it('reads the Epicor REST error shape', () => {
    assert.deepEqual(parseErrorBody(INVALID_CREDENTIALS), {
      shape: 'epicor',
      errorMessage: 'Invalid username or password.',
      errorType: 'System.UnauthorizedAccessException',
      correlationId: '41893675-a27f-467a-be02-7af2ed7d708c',
    });
    const documented = parseErrorBody(
      '{"HttpStatus":400,"ReasonPhrase":"REST Api Exception","ErrorMessage":"Part is required.","ErrorType":"Ice.Common.BusinessObjectException","ErrorDetails":[{"Message":"Part is required.","Type":"Error","Table":"OrderDtl"}]}',
    );
    assert.equal(documented.errorType, 'Ice.Common.BusinessObjectException');
  });

  it('tolerates OData, OAuth, XML and plain-text gateway bodies', () => {
    assert.deepEqual(
      parseErrorBody('{"error":{"code":"ODataException","message":"Could not find a property"}}'),
      {
        shape: 'odata',
        errorMessage: 'Could not find a property',
        errorType: 'ODataException',
      },
    );
    assert.equal(
      parseErrorBody('{"error":{"code":"x","message":{"lang":"en","value":"v3 style"}}}').errorMessage,
      'v3 style',
    );
    assert.deepEqual(parseErrorBody('{"error":"invalid_client","error_description":"Unknown client"}'), {
      shape: 'oauth',
      errorType: 'invalid_client',
      errorMessage: 'Unknown client',
    });
    assert.deepEqual(
      parseErrorBody('<Error><ErrorMessage>Bad thing</ErrorMessage><ErrorType>Ice.X</ErrorType></Error>'),
      { shape: 'xml', errorMessage: 'Bad thing', errorType: 'Ice.X' },
    );
    assert.deepEqual(parseErrorBody('<html><body><h1>502 Bad Gateway</h1></body></html>'), {
      shape: 'text',
      errorMessage: '502 Bad Gateway',
    });
    assert.deepEqual(parseErrorBody('  '), { shape: 'empty' });
    assert.equal(parseErrorBody('{not json').shape, 'text');
    assert.ok((parseErrorBody('x'.repeat(1000)).errorMessage ?? '').length < 310);
  });

  it('tells the three 401s apart by ErrorMessage', () => {
    assert.equal(classifyUnauthorized(parseErrorBody(INVALID_API_KEY).errorMessage), 'apiKey');
    assert.equal(classifyUnauthorized(parseErrorBody(ACCESS_DENIED).errorMessage), 'accessDenied');
    assert.equal(classifyUnauthorized(parseErrorBody(INVALID_CREDENTIALS).errorMessage), 'credentials');
    assert.equal(classifyUnauthorized('Invalid API Key .\r\nCompany EPIC06.'), 'apiKey');
    assert.equal(classifyUnauthorized('Token has expired.'), 'other');
    assert.equal(classifyUnauthorized('Authorization has been denied for this request.'), 'other');
    assert.equal(classifyUnauthorized(undefined), 'other');
  });

  it('scrubs the API key Epicor echoes back, however short', () => {
    const message = parseErrorBody(INVALID_API_KEY).errorMessage ?? '';
    assert.equal(scrubApiKeyEcho(message), 'Invalid API Key ***.\r\nCompany CFSJ_LAF.');
    assert.equal(scrubApiKeyEcho('Invalid API Key ab.'), 'Invalid API Key ***.');
    assert.equal(scrubApiKeyEcho('Access denied (X).'), 'Access denied (X).');
  });

  it('recognises license exhaustion', () => {
    assert.ok(
      isLicenseExhausted({
        shape: 'epicor',
        errorType: 'Ice.Common.LicenseAccessException',
        errorMessage: 'x',
      }),
    );
    assert.ok(isLicenseExhausted({ shape: 'text', errorMessage: 'Maximum users exceeded' }));
    assert.ok(!isLicenseExhausted({ shape: 'epicor', errorType: 'Ice.Common.BusinessObjectException' }));
  });
});

describe('JSON with big integers', () => {
  it('keeps integers beyond 2^53 exact as strings and leaves the rest alone', () => {
    const text =
      '{"value":[{"SysRevID":18446744073709551615,"VendorNum":9007199254740991,"Neg":-9007199254740993,' +
      '"Dec":12345678901234567.5,"Exp":1e300,"Phone":"12345678901234567890","Esc":"a\\"12345678901234567890"}]}';
    const parsed = parseJsonPreservingBigInts(text) as { value: Record<string, unknown>[] };
    const row = parsed.value[0] ?? {};
    assert.equal(row['SysRevID'], '18446744073709551615');
    assert.equal(row['VendorNum'], 9007199254740991);
    assert.equal(row['Neg'], '-9007199254740993');
    assert.equal(typeof row['Dec'], 'number');
    assert.equal(row['Exp'], 1e300);
    assert.equal(row['Phone'], '12345678901234567890');
    assert.equal(row['Esc'], 'a"12345678901234567890');
    const small = '{"a":1,"b":"x"}';
    assert.equal(quoteUnsafeIntegers(small), small);
  });
});
