import {
  Injectable,
  StandardSchemaValidationPipe,
  type ArgumentMetadata,
  type StandardSchemaValidationPipeOptions,
} from '@nestjs/common';
import { RequestValidationException, type FieldError } from './problem-details.js';

type Issues = Parameters<NonNullable<StandardSchemaValidationPipeOptions['exceptionFactory']>>[0];

/**
 * Validates every handler argument declared with a schema — `@Body({ schema })`,
 * `@Param('id', { schema })`, `@Query({ schema })` — against that zod (or any Standard Schema)
 * schema, and passes on the parsed value. NestJS's own StandardSchemaValidationPipe does the
 * validating; this subclass only turns its issues into a 400 problem document that lists each
 * field's location, path and message, instead of a flat array of strings.
 */
@Injectable()
export class RequestValidationPipe extends StandardSchemaValidationPipe {
  constructor() {
    super({ exceptionFactory: (issues: Issues) => new UnlocatedIssues(issues) });
  }

  override async transform<T>(value: T, metadata: ArgumentMetadata): Promise<T> {
    let parsed: T;
    try {
      parsed = await super.transform(value, metadata);
    } catch (error) {
      if (error instanceof UnlocatedIssues) throw new RequestValidationException(toFieldErrors(error.issues, metadata));
      throw error;
    }
    if (metadata.schema) {
      const withNul = pathsOfStringsWithNul(parsed).map((path) => ({ message: NUL_MESSAGE, path }));
      if (withNul.length > 0) throw new RequestValidationException(toFieldErrors(withNul, metadata));
    }
    return parsed;
  }
}

/**
 * Every validated string ends up in PostgreSQL (a text column, a jsonb event payload), which cannot
 * store U+0000: the insert failed with 22021/22P05 and the request answered 500 instead of 400
 * (found by the bad-input fuzz, issue 8). Refused here once for every schema, rather than in each.
 */
const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';

/** Paths of the strings in `value` that contain U+0000; iterative, so no input nests deep enough to overflow the stack. */
function pathsOfStringsWithNul(value: unknown): PropertyKey[][] {
  const found: PropertyKey[][] = [];
  const pending: [unknown, PropertyKey[]][] = [[value, []]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [current, path] = next;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) found.push(path);
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, inner] of Object.entries(current)) pending.push([inner, [...path, Array.isArray(current) ? Number(key) : key]]);
    }
  }
  return found.reverse();
}

/** Carries the issues out of the exception factory, which does not know where the value came from. */
class UnlocatedIssues extends Error {
  constructor(readonly issues: Issues) {
    super('request validation failed');
  }
}

export function toFieldErrors(issues: Issues, metadata: Pick<ArgumentMetadata, 'type' | 'data'>): FieldError[] {
  const location: FieldError['in'] = metadata.type === 'param' ? 'path' : metadata.type;
  return issues.map((issue) => {
    const segments = (issue.path ?? []).map((segment) =>
      String(typeof segment === 'object' && segment !== null ? segment.key : segment),
    );
    // `@Param('id', …)` validates one named value, so its issues come without a path of their own.
    if (metadata.data) segments.unshift(metadata.data);
    return { in: location, path: segments.join('.'), message: issue.message };
  });
}
