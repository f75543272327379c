import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Body, Controller, Get, Module, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { z } from 'zod';
import { DependencyUnavailableError } from '../resilience/dependency-errors.js';
import { PROBLEM_JSON, type ProblemDetails } from './problem-details.js';
import { ProblemDetailsModule } from './problem-details.module.js';
import { UNEXPECTED_ERROR_DETAIL } from './to-problem-details.js';

const greeting = z.object({ name: z.string().min(1), times: z.int().min(1).max(3) });

@Controller()
class ProbeController {
  @Post('greetings')
  greet(@Body({ schema: greeting }) body: z.infer<typeof greeting>): { text: string } {
    return { text: `hello ${body.name}`.repeat(body.times) };
  }

  @Get('explode')
  explode(): never {
    throw new Error('secret table orders_private is corrupt');
  }

  @Get('provider-down')
  providerDown(): never {
    throw new DependencyUnavailableError('payment-provider', 7);
  }
}

@Module({ imports: [ProblemDetailsModule], controllers: [ProbeController] })
class ProbeModule {}

// A real Express server on an ephemeral port: body-parser errors happen in Express middleware,
// outside any handler, and only a real request proves they come out as problem+json too.
describe('problem+json over HTTP', () => {
  let app: INestApplication;
  let base: string;

  before(async () => {
    app = await NestFactory.create(ProbeModule, { logger: false, abortOnError: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });
  after(() => app.close());

  async function problemFrom(response: Response): Promise<ProblemDetails> {
    assert.equal(response.headers.get('content-type')?.split(';')[0], PROBLEM_JSON);
    return (await response.json()) as ProblemDetails;
  }

  it('answers a malformed JSON body with a 400 problem that says the JSON is invalid', async () => {
    const response = await fetch(`${base}/greetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": "Ada",',
    });
    assert.equal(response.status, 400);
    const problem = await problemFrom(response);
    assert.equal(problem.type, 'urn:faultline:problem:malformed-body');
    assert.match(problem.detail, /not valid JSON/);
    assert.equal(problem.instance, '/greetings');
  });

  it('answers a body that fails its schema with a 400 listing each field', async () => {
    const response = await fetch(`${base}/greetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '', times: 7 }),
    });
    assert.equal(response.status, 400);
    const problem = await problemFrom(response);
    assert.deepEqual(problem.errors?.map((e) => e.path), ['name', 'times']);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await fetch(`${base}/no/such/route`);
    assert.equal(response.status, 404);
    const problem = await problemFrom(response);
    assert.equal(problem.detail, 'Cannot GET /no/such/route');
  });

  it('answers an unexpected error with a generic 500 problem that leaks nothing', async () => {
    const response = await fetch(`${base}/explode`);
    assert.equal(response.status, 500);
    const problem = await problemFrom(response);
    assert.equal(problem.detail, UNEXPECTED_ERROR_DETAIL);
    assert.doesNotMatch(JSON.stringify(problem), /orders_private|at ProbeController/);
  });

  it('answers an open circuit breaker with a 503 problem and a Retry-After header (article 1)', async () => {
    const response = await fetch(`${base}/provider-down`);
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '7');
    const problem = await problemFrom(response);
    assert.equal(problem.type, 'urn:faultline:problem:dependency-unavailable');
    assert.equal(problem.dependency, 'payment-provider');
  });

  it('still answers valid requests normally', async () => {
    const response = await fetch(`${base}/greetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada', times: 1 }),
    });
    assert.equal(response.status, 201);
    assert.deepEqual(await response.json(), { text: 'hello Ada' });
  });
});
