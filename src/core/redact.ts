/**
 * Secrets are registered once (when credentials are loaded) and scrubbed from any text that leaves the
 * process: log lines, error messages, audit rows. Short values are ignored to avoid mangling ordinary
 * words.
 */
export class Redactor {
  readonly #secrets = new Set<string>();

  add(...secrets: (string | undefined)[]): void {
    for (const secret of secrets) {
      if (secret !== undefined && secret.length >= 4) this.#secrets.add(secret);
    }
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join('***');
    return out;
  }
}

/** Hides credentials embedded in a URL (user:pass@, api-key=, access_token=). */
export function redactUrl(url: string): string {
  return url
    .replace(/\/\/[^/@\s]+@/, '//***@')
    .replace(/([?&](?:api-key|apikey|access_token|token|hapikey|code|refresh_token)=)[^&#\s]*/gi, '$1***');
}
