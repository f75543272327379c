import {
  Injectable,
  StandardSchemaValidationPipe,
  type ArgumentMetadata,
  type StandardSchemaValidationPipeOptions,
} from '@nestjs/common';
import { findUnstorableText } from '../contracts/index.js';
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
      // Every validated string ends up in PostgreSQL: refused here once for every schema, rather than in each.
      const unstorable = findUnstorableText(parsed);
      if (unstorable.length > 0) throw new RequestValidationException(toFieldErrors(unstorable, metadata));
    }
    return parsed;
  }
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
