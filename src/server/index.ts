/** The service's HTTP server (health, metrics, JSON API, dashboard). See docs/operations.md. */
export { Authenticator, type AuthMethod, SESSION_COOKIE, sameSecret } from './auth.js';
export type * from './backend.js';
export { escapeHtml, Html, html, unsafeRaw } from './html.js';
export {
  buildHttpApp,
  DEFAULT_HOST,
  DEFAULT_PORT,
  type HttpServer,
  type HttpServerOptions,
  type MetricsSource,
  startHttpServer,
} from './server.js';
export {
  API_TOKEN_ENV,
  API_TOKEN_FILE_ENV,
  ApiTokenError,
  generateApiToken,
  type ResolvedToken,
  resolveApiToken,
} from './token.js';
