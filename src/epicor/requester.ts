import { withTimeout } from '../core/abort.js';
import type { Clock } from '../core/clock.js';
import type { HttpTransport } from '../core/http.js';
import type { Logger } from '../core/logger.js';
import type { Random } from '../core/random.js';
import type { Redactor } from '../core/redact.js';
import { redactUrl } from '../core/redact.js';
import { classifyUnauthorized, isLicenseExhausted, parseErrorBody, scrubApiKeyEcho } from './error-body.js';
import {
  EpicorAccessDeniedError,
  EpicorApiKeyError,
  EpicorCredentialsError,
  EpicorError,
  type EpicorErrorDetails,
  EpicorHttpError,
  EpicorLicenseError,
  EpicorNetworkError,
  EpicorTimeoutError,
  EpicorUnauthorizedError,
} from './errors.js';
import { isRetryableStatus, newRetryState, nextRetryDelay, parseRetryAfter } from './retry.js';
import type { EpicorSettings } from './settings.js';
import { displayUrl } from './urls.js';

/** Supplies the user identity of a request (Basic or Bearer). */
export interface AuthProvider {
  readonly mode: 'basic' | 'tokenResource' | 'oauth2';
  /** `Authorization` header value, plus the bearer token it carries (for `invalidate`). */
  authorization(): Promise<{ readonly header: string; readonly token?: string }>;
  /** Drops a bearer token after a 401 (no-op for Basic). */
  invalidate(token: string): void;
}

/** What a request is for; it decides which fix an error message suggests. */
export type RequestPurpose = 'data' | 'tokenResource' | 'oauth2';

export interface EpicorRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Adds `Authorization` from the AuthProvider (false for token endpoints). */
  readonly authenticate: boolean;
  /** Adds the API key (true for data requests; configurable for TokenResource). */
  readonly apiKey: boolean;
  readonly purpose: RequestPurpose;
}

export interface EpicorResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** A retry that is about to happen, for logs, metrics and the sync engine's `retry` event. */
export interface RetryNotice {
  readonly attempt: number;
  readonly delayMs: number;
  readonly code: string;
  readonly url: string;
}

export interface RequesterDeps {
  readonly settings: EpicorSettings;
  readonly transport: HttpTransport;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly onRetry?: (notice: RetryNotice) => void;
}

/**
 * Sends one logical request: API key and Authorization headers, per-request timeout, retries with
 * backoff, one token refresh on an unexplained 401, and typed, redacted errors.
 */
export class EpicorRequester {
  readonly #deps: RequesterDeps;
  #auth: AuthProvider | undefined;
  /** HTTP exchanges made (each attempt counts), for tests and benchmarks. */
  exchanges = 0;

  constructor(deps: RequesterDeps) {
    this.#deps = deps;
  }

  useAuth(auth: AuthProvider): void {
    this.#auth = auth;
  }

  /** The Authorization header a request would carry now (fetches a token in token modes). */
  async authorizationHeader(): Promise<string> {
    return (await this.#requireAuth().authorization()).header;
  }

  get authMode(): AuthProvider['mode'] | undefined {
    return this.#auth?.mode;
  }

  async send(request: EpicorRequest, signal?: AbortSignal): Promise<EpicorResponse> {
    const { settings, clock, random, logger } = this.#deps;
    const state = newRetryState();
    let refreshed = false;
    let attempt = 0;
    for (;;) {
      attempt++;
      signal?.throwIfAborted();
      const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
      let url = request.url;
      if (request.apiKey) {
        if (settings.apiKeyIn === 'header') headers['x-api-key'] = settings.apiKey;
        else url += `${url.includes('?') ? '&' : '?'}api-key=${encodeURIComponent(settings.apiKey)}`;
      }
      if (settings.callSettings && request.purpose === 'data') {
        headers['CallSettings'] = JSON.stringify(settings.callSettings);
      }
      let token: string | undefined;
      if (request.authenticate) {
        const auth = this.#requireAuth();
        const credentials = await auth.authorization();
        headers['authorization'] = credentials.header;
        token = credentials.token;
      }
      let retryAfterMs: number | undefined;
      try {
        const response = await this.#exchange(url, { ...request, headers }, signal);
        if (response.status >= 200 && response.status < 300) return response;
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), clock.now());
        const error = this.#errorFor(response, request);
        if (
          response.status === 401 &&
          token !== undefined &&
          !refreshed &&
          classifyUnauthorized(error.errorMessage) === 'other'
        ) {
          // An expired or revoked bearer token: fetch a new one (shared with concurrent callers), once.
          refreshed = true;
          this.#requireAuth().invalidate(token);
          logger.debug({ url: displayUrl(this.#redact(url)) }, 'epicor: 401 with a bearer token, refreshing');
          continue;
        }
        throw error;
      } catch (error) {
        if (!(error instanceof EpicorError)) throw error;
        const delayMs = nextRetryDelay(error, state, settings.retry, random, retryAfterMs);
        if (delayMs === undefined) throw error.withAttempts(attempt);
        const notice = { attempt, delayMs, code: error.code, url: error.url ?? '' };
        logger.warn(notice, 'epicor: retrying');
        this.#deps.onRetry?.(notice);
        await clock.sleep(delayMs, signal);
      }
    }
  }

  #requireAuth(): AuthProvider {
    if (!this.#auth) throw new Error('EpicorRequester used before an AuthProvider was attached');
    return this.#auth;
  }

  async #exchange(
    url: string,
    request: EpicorRequest & { headers: Record<string, string> },
    signal: AbortSignal | undefined,
  ): Promise<EpicorResponse> {
    const timeoutSignal = withTimeout(signal, this.#deps.settings.requestTimeoutMs);
    const details = { url: this.#redactedUrl(url) };
    this.exchanges++;
    try {
      const response = await this.#deps.transport(url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: timeoutSignal,
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      if (timeoutSignal.aborted) {
        throw new EpicorTimeoutError(
          `Epicor did not answer within ${this.#deps.settings.requestTimeoutMs} ms (${displayUrl(details.url)}); ` +
            'raise requestTimeoutMs or a smaller page size may help',
          details,
        );
      }
      const reason = error instanceof Error ? (causeText(error) ?? error.message) : String(error);
      throw new EpicorNetworkError(
        `Could not reach Epicor at ${displayUrl(details.url)}: ${this.#redact(reason)}`,
        details,
        error,
      );
    }
  }

  #errorFor(response: EpicorResponse, request: EpicorRequest): EpicorError {
    const body = parseErrorBody(response.text);
    const url = this.#redactedUrl(request.url);
    const errorMessage =
      body.errorMessage === undefined ? undefined : this.#redact(scrubApiKeyEcho(body.errorMessage));
    const details: EpicorErrorDetails & { status: number } = {
      status: response.status,
      url,
      ...(body.errorType === undefined ? {} : { errorType: body.errorType }),
      ...(errorMessage === undefined ? {} : { errorMessage }),
      ...(body.correlationId === undefined ? {} : { correlationId: body.correlationId }),
    };
    const where = `${response.status} from ${displayUrl(url)}`;
    const said = errorMessage ? `; Epicor said: "${oneLine(errorMessage)}"` : '';
    const correlation = body.correlationId ? ` [CorrelationId ${body.correlationId}]` : '';

    if (response.status === 401 || response.status === 403) {
      const kind = classifyUnauthorized(errorMessage);
      if (kind === 'apiKey') {
        return new EpicorApiKeyError(
          `Epicor rejected the API key (${where}): check the key, its expiry, its environment and its access scope${correlation}`,
          details,
        );
      }
      if (kind === 'accessDenied' || response.status === 403) {
        return new EpicorAccessDeniedError(
          `Epicor denied access (${where})${said}: grant the Epicor user security rights to this service, ` +
            `and make sure the API key's access scope includes it${correlation}`,
          details,
        );
      }
      if (kind === 'credentials' || request.purpose !== 'data') {
        return new EpicorCredentialsError(
          credentialsMessage(request.purpose, where, said) + correlation,
          details,
        );
      }
      return new EpicorUnauthorizedError(
        `Epicor refused the request (${where})${said}: check the user name and password or token settings${correlation}`,
        details,
      );
    }
    if (request.purpose === 'oauth2' && response.status === 400 && body.shape === 'oauth') {
      return new EpicorCredentialsError(credentialsMessage(request.purpose, where, said), details);
    }
    if (response.status === 400 && isLicenseExhausted(body)) {
      return new EpicorLicenseError(
        `Epicor has no free license (${where})${said}: free a session or raise the license count${correlation}`,
        details,
      );
    }
    const hint =
      response.status === 404
        ? ': check the tenant URL (server and instance), the Company and the service / entity set / BAQ names (case sensitive)'
        : '';
    return new EpicorHttpError(
      `Epicor answered ${where}${said}${hint}${correlation}`,
      details,
      isRetryableStatus(response.status),
    );
  }

  #redact(text: string): string {
    return this.#deps.redactor.redact(text);
  }

  #redactedUrl(url: string): string {
    return this.#redact(redactUrl(url));
  }
}

function credentialsMessage(purpose: RequestPurpose, where: string, said: string): string {
  switch (purpose) {
    case 'oauth2':
      return `The OAuth2 token endpoint rejected the client credentials (${where})${said}: check the client id, client secret and scope`;
    case 'tokenResource':
      return `Epicor's token service rejected the user name or password (${where})${said}: check the Epicor user's credentials`;
    case 'data':
      return `Epicor rejected the user name or password (${where}): check the Epicor user's credentials`;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').trim();
}

function causeText(error: Error): string | undefined {
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${code} (${cause.message})` : cause.message;
  }
  return undefined;
}
