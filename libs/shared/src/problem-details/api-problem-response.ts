import { ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { PROBLEM_JSON, ProblemType } from './problem-details.js';

/** The problem document, as a schema: documents the error responses in OpenAPI. */
export const problemDetailsSchema = z
  // Loose: a problem type may add extension members (`checks`, `requestId`, …).
  .looseObject({
    type: z.string().meta({ description: `about:blank, or a URN such as ${ProblemType.validation}` }),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ in: z.enum(['body', 'query', 'path', 'custom']), path: z.string(), message: z.string() }))
      .optional(),
  })
  .meta({ description: 'RFC 9457 problem document' });

const problemJsonSchema = z.toJSONSchema(problemDetailsSchema, { target: 'openapi-3.0', unrepresentable: 'any' });

/** Documents an error answer of an endpoint as `application/problem+json`. */
export function ApiProblemResponse(status: number, description: string): MethodDecorator & ClassDecorator {
  return ApiResponse({ status, description, content: { [PROBLEM_JSON]: { schema: problemJsonSchema as object } } });
}
