import password from '@inquirer/password';
import { CancelledError } from '../output/errors.js';
import type { AskSecret } from './secret-input.js';

/**
 * Hidden-input prompt on the terminal; prompts go to stderr so stdout stays clean for `--json`.
 * Ctrl+C (or the terminal closing) becomes a CancelledError: nothing is stored, exit 130.
 */
export const askOnTerminal: AskSecret = async (message) => {
  try {
    return await password(
      {
        message,
        mask: '*',
        validate: (value) => (value.trim() === '' ? 'A value is required (Ctrl+C to cancel).' : true),
      },
      { output: process.stderr },
    );
  } catch (error) {
    if (error instanceof Error && error.name === 'ExitPromptError') {
      throw new CancelledError('Cancelled at the prompt; nothing was stored.');
    }
    throw error;
  }
};
