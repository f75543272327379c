export { ApiProblemResponse, problemDetailsSchema } from './api-problem-response.js';
export {
  PROBLEM_JSON,
  ProblemDetailsException,
  ProblemType,
  RequestValidationException,
  type FieldError,
  type ProblemDetails,
} from './problem-details.js';
export { ProblemDetailsFilter } from './problem-details.filter.js';
export { ProblemDetailsModule } from './problem-details.module.js';
export { RequestValidationPipe, toFieldErrors } from './request-validation.pipe.js';
export { UNEXPECTED_ERROR_DETAIL, toProblemDetails, type MappedProblem } from './to-problem-details.js';
