import { randomUUID } from 'node:crypto';

/**
 * Epicor's REST error body (reference §3.6): HttpStatus, ReasonPhrase, ErrorMessage, ErrorType,
 * optional ErrorDetails, CorrelationId — every response gets a fresh CorrelationId GUID.
 */
export interface EpicorErrorBody {
  HttpStatus: number;
  ReasonPhrase: string;
  ErrorMessage: string;
  ErrorType: string;
  ErrorDetails?: {
    Message: string;
    Type: string;
    Table?: string;
    Field?: string;
    Program?: string;
    Method?: string;
  }[];
  CorrelationId: string;
}

export const ERROR_TYPES = {
  unauthorized: 'System.UnauthorizedAccessException',
  api: 'Epicor.RESTApi.ErrorHandling.ApiException',
  odata: 'Microsoft.OData.ODataException',
  notFound: 'Ice.Common.RecordNotFoundException',
  businessObject: 'Ice.Common.BusinessObjectException',
  license: 'Ice.Common.LicenseAccessException',
  server: 'System.Exception',
} as const;

/** The live 401 captures say "REST API Exception"; the REST guide example says "REST Api Exception". */
export const REASON_PHRASE = 'REST API Exception';

export class EpicorHttpError extends Error {
  readonly status: number;
  readonly body: EpicorErrorBody;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    errorType: string,
    message: string,
    options: { headers?: Record<string, string>; details?: EpicorErrorBody['ErrorDetails'] } = {},
  ) {
    super(message);
    this.status = status;
    this.headers = options.headers ?? {};
    this.body = {
      HttpStatus: status,
      ReasonPhrase: REASON_PHRASE,
      ErrorMessage: message,
      ErrorType: errorType,
      ...(options.details ? { ErrorDetails: options.details } : {}),
      CorrelationId: randomUUID(),
    };
  }

  override get name(): string {
    return 'EpicorHttpError';
  }
}

export function unauthorized(message: string, headers?: Record<string, string>): EpicorHttpError {
  return new EpicorHttpError(401, ERROR_TYPES.unauthorized, message, headers ? { headers } : {});
}

export function apiNotFound(message: string): EpicorHttpError {
  return new EpicorHttpError(404, ERROR_TYPES.api, message);
}

export function odataBadRequest(message: string): EpicorHttpError {
  return new EpicorHttpError(400, ERROR_TYPES.odata, message);
}
