import password from '@inquirer/password';
import type { AskSecret } from './secret-input.js';

/** Hidden-input prompt on the terminal; prompts go to stderr so stdout stays clean for `--json`. */
export const askOnTerminal: AskSecret = (message) =>
  password(
    {
      message,
      mask: '*',
      validate: (value) => (value.trim() === '' ? 'A value is required (Ctrl+C to cancel).' : true),
    },
    { output: process.stderr },
  );
