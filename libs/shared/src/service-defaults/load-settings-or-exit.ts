import { ConfigurationError } from '../config/index.js';

/**
 * Loads a service's settings for an entry point (main.ts, migrate.ts). Invalid configuration is an
 * operator's mistake, not a bug: print the message that names each variable and exit 1, with no
 * stack trace to dig through.
 */
export function loadSettingsOrExit<Settings>(loadSettings: () => Settings): Settings {
  try {
    return loadSettings();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
