import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { DependencyTimeoutError, DependencyUnavailableError } from '../resilience/dependency-errors.js';
import { ProblemDetailsException, ProblemType, RequestValidationException } from './problem-details.js';
import { UNEXPECTED_ERROR_DETAIL, toProblemDetails } from './to-problem-details.js';

describe('toProblemDetails', () => {
  it('passes a thrown problem document through and adds the request path as its instance', () => {
    const { problem, unexpected } = toProblemDetails(ProblemDetailsException.notFound('No order 42.'), '/orders/42');
    assert.deepEqual(problem, {
      type: ProblemType.plain,
      title: 'Not Found',
      status: 404,
      detail: 'No order 42.',
      instance: '/orders/42',
    });
    assert.equal(unexpected, false);
  });

  it("answers the router's unknown route with a plain 404 that names the method and path", () => {
    const { problem } = toProblemDetails(new NotFoundException('Cannot GET /nope'), '/nope');
    assert.equal(problem.type, 'about:blank');
    assert.equal(problem.status, 404);
    assert.equal(problem.title, 'Not Found');
    assert.equal(problem.detail, 'Cannot GET /nope');
  });

  it("turns body-parser's JSON syntax error into a malformed-body 400 that quotes the parse error", () => {
    const parseError = Object.assign(new SyntaxError("Expected property name or '}' in JSON at position 1"), {
      status: 400,
      type: 'entity.parse.failed',
    });
    const { problem } = toProblemDetails(new BadRequestException(parseError.message, { cause: parseError }), '/orders');
    assert.equal(problem.type, ProblemType.malformedBody);
    assert.equal(problem.status, 400);
    assert.match(problem.detail, /^The request body is not valid JSON: Expected property name/);
  });

  it('keeps the status and message of other body-parser rejections, such as a body too large', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413 });
    const { problem } = toProblemDetails(new HttpException(tooLarge.message, 413, { cause: tooLarge }), '/orders');
    assert.equal(problem.status, 413);
    assert.equal(problem.title, 'Payload Too Large');
    assert.equal(problem.detail, 'request entity too large');
  });

  it('joins the messages of a NestJS exception that carries a list of them', () => {
    const { problem } = toProblemDetails(new BadRequestException(['a is required', 'b is too long']), '/x');
    assert.equal(problem.detail, 'a is required; b is too long');
  });

  it('lists validation errors in `errors` beside a detail that names each field', () => {
    const exception = new RequestValidationException([
      { in: 'body', path: 'currency', message: 'Invalid string' },
      { in: 'body', path: 'items.0.quantity', message: 'Too small: expected number to be >=1' },
    ]);
    const { problem } = toProblemDetails(exception, '/orders');
    assert.equal(problem.type, ProblemType.validation);
    assert.equal(problem.status, 400);
    assert.equal(problem.errors?.length, 2);
    assert.match(problem.detail, /currency: Invalid string; items\.0\.quantity: Too small/);
  });

  it('answers an unexpected error with a generic 500 that does not leak its message', () => {
    const { problem, unexpected } = toProblemDetails(
      new Error('connection to postgres://orders:orders-local@127.0.0.1 refused'),
      '/orders',
    );
    assert.equal(unexpected, true);
    assert.equal(problem.status, 500);
    assert.equal(problem.detail, UNEXPECTED_ERROR_DETAIL);
    assert.doesNotMatch(JSON.stringify(problem), /postgres|orders-local/);
  });

  it('treats a thrown non-Error value like any other unexpected error', () => {
    const { problem, unexpected } = toProblemDetails('boom', '/x');
    assert.equal(unexpected, true);
    assert.equal(problem.status, 500);
  });

  it('answers an open breaker with a 503 dependency-unavailable problem and a Retry-After header (article 1)', () => {
    const { problem, unexpected, headers } = toProblemDetails(new DependencyUnavailableError('payment-provider', 12), '/payments/authorizations');
    assert.equal(problem.status, 503);
    assert.equal(problem.type, ProblemType.dependencyUnavailable);
    assert.equal(problem.dependency, 'payment-provider');
    assert.match(problem.detail, /payment-provider is unavailable/);
    assert.deepEqual(headers, { 'Retry-After': '12' });
    assert.equal(unexpected, false);
  });

  it('answers a dependency timeout with a retryable 503 that says the outcome is unknown', () => {
    const { problem, headers } = toProblemDetails(new DependencyTimeoutError('payment-provider', 2_000), '/payments/authorizations');
    assert.equal(problem.status, 503);
    assert.equal(problem.type, ProblemType.dependencyTimeout);
    assert.match(problem.detail, /outcome is unknown/);
    assert.deepEqual(headers, { 'Retry-After': '1' });
  });

  it('answers a database that is away (refused, terminated, shutting down) with a 503 and Retry-After, not a 500', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:15432'), { code: 'ECONNREFUSED' });
    const shutdown = Object.assign(new Error('query failed'), { driverError: Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }) });
    const terminated = new Error('Connection terminated unexpectedly');
    for (const exception of [refused, shutdown, terminated]) {
      const { problem, unexpected, headers } = toProblemDetails(exception, '/orders');
      assert.equal(problem.status, 503, String(exception));
      assert.equal(problem.type, ProblemType.dependencyUnavailable);
      assert.equal(problem.dependency, 'database');
      assert.equal(unexpected, false);
      assert.deepEqual(headers, { 'Retry-After': '1' });
    }
  });

  it('still answers a query the database refused for its content (a constraint, a type) with a 500', () => {
    const violation = Object.assign(new Error('query failed'), { driverError: Object.assign(new Error('value too long'), { code: '22001' }) });
    assert.equal(toProblemDetails(violation, '/orders').problem.status, 500);
  });
});
