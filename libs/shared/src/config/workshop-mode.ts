import { ConfigurationError } from './load-config.js';

/** The environment variable that allows pitfall switches (DESIGN §6). */
export const WORKSHOP_MODE_VARIABLE = 'FAULTLINE_WORKSHOP_MODE';

/**
 * Refuses a pitfall switch unless the process runs in workshop mode: a clone deployed as a template
 * cannot be switched into an article's failure by a stray option. `option` names the switch and
 * its value, `failure` what it reproduces, `fix` how to run without it.
 */
export function requireWorkshopMode(
  service: string,
  { option, failure, fix }: { option: string; failure: string; fix: string },
  env: Record<string, string | undefined>,
): void {
  if (env[WORKSHOP_MODE_VARIABLE] === 'true') return;
  throw new ConfigurationError(service, [
    `${option} reproduces ${failure} and is allowed only in workshop mode — ` +
      `set ${WORKSHOP_MODE_VARIABLE}=true to run the workshop, or ${fix}`,
  ]);
}
