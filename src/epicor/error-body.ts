import { z } from 'zod';

/**
 * Epicor error bodies (reference §3.6): the REST layer's
 * `{HttpStatus, ReasonPhrase, ErrorMessage, ErrorType, ErrorDetails?, CorrelationId}`, tolerated
 * alongside the OData `{"error":{"code","message"}}` shape, OAuth2 `{"error","error_description"}`,
 * the same Epicor fields as XML elements, and plain-text / HTML gateway bodies.
 */

const epicorBody = z.looseObject({
  HttpStatus: z.union([z.number(), z.string()]).optional(),
  ReasonPhrase: z.string().optional(),
  ErrorMessage: z.string().optional(),
  ErrorType: z.string().optional(),
  CorrelationId: z.string().optional(),
  ErrorDetails: z
    .array(z.looseObject({ Message: z.string().optional(), Type: z.string().optional() }))
    .nullish(),
});

const odataBody = z.looseObject({
  error: z.looseObject({
    code: z.string().optional(),
    message: z.union([z.string(), z.looseObject({ value: z.string() })]).optional(),
  }),
});

const oauthBody = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
});

export interface ParsedErrorBody {
  readonly errorMessage?: string;
  readonly errorType?: string;
  readonly correlationId?: string;
  /** Which shape matched. */
  readonly shape: 'epicor' | 'odata' | 'oauth' | 'xml' | 'text' | 'empty';
}

const MAX_TEXT = 300;

export function parseErrorBody(text: string): ParsedErrorBody {
  const trimmed = text.trim();
  if (trimmed === '') return { shape: 'empty' };
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      json = undefined;
    }
    if (json !== undefined) {
      const epicor = epicorBody.safeParse(json);
      if (epicor.success && (epicor.data.ErrorMessage !== undefined || epicor.data.ErrorType !== undefined)) {
        return compact({
          shape: 'epicor',
          errorMessage: epicor.data.ErrorMessage,
          errorType: epicor.data.ErrorType,
          correlationId: epicor.data.CorrelationId,
        });
      }
      const odata = odataBody.safeParse(json);
      if (odata.success) {
        const message = odata.data.error.message;
        return compact({
          shape: 'odata',
          errorMessage: typeof message === 'string' ? message : message?.value,
          errorType: odata.data.error.code,
        });
      }
      const oauth = oauthBody.safeParse(json);
      if (oauth.success) {
        return compact({
          shape: 'oauth',
          errorType: oauth.data.error,
          errorMessage: oauth.data.error_description ?? oauth.data.error,
        });
      }
    }
  }
  if (trimmed.startsWith('<') && /<ErrorMessage>/i.test(trimmed)) {
    return compact({
      shape: 'xml',
      errorMessage: xmlElement(trimmed, 'ErrorMessage'),
      errorType: xmlElement(trimmed, 'ErrorType'),
      correlationId: xmlElement(trimmed, 'CorrelationId'),
    });
  }
  const plain = trimmed
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { shape: 'text', errorMessage: plain.length > MAX_TEXT ? `${plain.slice(0, MAX_TEXT)}…` : plain };
}

function xmlElement(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'i').exec(xml);
  return match?.[1]?.trim();
}

function compact(body: {
  shape: ParsedErrorBody['shape'];
  errorMessage?: string | undefined;
  errorType?: string | undefined;
  correlationId?: string | undefined;
}): ParsedErrorBody {
  return {
    shape: body.shape,
    ...(body.errorMessage === undefined ? {} : { errorMessage: body.errorMessage }),
    ...(body.errorType === undefined ? {} : { errorType: body.errorType }),
    ...(body.correlationId === undefined ? {} : { correlationId: body.correlationId }),
  };
}

export type UnauthorizedKind = 'apiKey' | 'accessDenied' | 'credentials' | 'other';

/**
 * All three Epicor 401s share status and ErrorType; only `ErrorMessage` tells them apart (LIVE, S2):
 * "Invalid API Key …", "Access denied (…)", "Invalid username or password.". Anything else (expired
 * bearer token, missing Authorization, gateway) is `other` — the only kind that may trigger a refresh.
 */
export function classifyUnauthorized(errorMessage: string | undefined): UnauthorizedKind {
  const message = errorMessage ?? '';
  if (/invalid\s+api[\s-]*key|api[\s-]*key\s+(is\s+)?(missing|required|invalid|expired)/i.test(message)) {
    return 'apiKey';
  }
  if (/access\s+denied/i.test(message)) return 'accessDenied';
  if (/invalid\s+(user\s*name|user|login)\s+or\s+password/i.test(message)) return 'credentials';
  return 'other';
}

/** 400 with `LicenseAccessException` / "Maximum users exceeded": Epicor ran out of licenses. */
export function isLicenseExhausted(body: ParsedErrorBody): boolean {
  const text = `${body.errorType ?? ''} ${body.errorMessage ?? ''}`;
  return /LicenseAccessException|maximum\s+(number\s+of\s+)?users\s+exceeded|no\s+license/i.test(text);
}

/**
 * Hides the API key Epicor echoes back ("Invalid API Key <key>.\r\nCompany X."), whatever its length —
 * the Redactor ignores very short secrets.
 */
export function scrubApiKeyEcho(message: string): string {
  return message.replace(/(invalid\s+api[\s-]*key\s+)([^\r\n]*?)(\.?\s*(?:\r?\n|$))/gi, '$1***$3');
}
