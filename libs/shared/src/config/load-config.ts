import { z } from 'zod';
import { readFaultlineEnvironment } from './faultline-env-file.js';

/**
 * Thrown at start-up when configuration is missing or malformed. The message names every offending
 * variable and says where to set it, because a service that starts with a half-valid configuration
 * fails later in a place that says nothing about the cause.
 */
export class ConfigurationError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${service}: invalid configuration\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nSet these in infra/faultline.env or in the process environment.',
    );
    this.name = 'ConfigurationError';
  }
}

/**
 * Validates the environment against a zod object schema whose keys are environment variable names,
 * and returns the typed result. Use `z.coerce.number()` and friends for non-string values.
 */
export function loadConfig<Shape extends z.ZodRawShape>(
  service: string,
  schema: z.ZodObject<Shape>,
  env: Record<string, string | undefined> = readFaultlineEnvironment(),
): z.infer<z.ZodObject<Shape>> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const value = env[variable];
    return value === undefined || value === ''
      ? `${variable} is required (${issue.message})`
      : `${variable}=${JSON.stringify(value)} is invalid: ${issue.message}`;
  });
  throw new ConfigurationError(service, problems);
}

/** A TCP port given as an environment variable. */
export const port = () => z.coerce.number().int().min(1).max(65535);
