import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import type { RunningService } from '../service-defaults/index.js';
import { BODY_TOO_LARGE_PROBLEM, DEFAULT_ABUSE_LIMITS, HEADERS_TOO_LARGE_PROBLEM, type AbuseLimits } from './abuse-limits.js';
import { send, startServiceUnderLimits } from './testing/service-under-limits.js';

const note = z.object({ text: z.string() });

@Controller()
class NotesController {
  @Post('notes')
  @HttpCode(201)
  write(@Body({ schema: note }) body: z.infer<typeof note>): { length: number } {
    return { length: body.text.length };
  }

  @Get('health')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}

/**
 * Below Express's and Node's own defaults (100 kB, 16 KiB), so each test fails if the service's
 * limit were not applied: the default would accept what these refuse.
 */
const limits: AbuseLimits = { ...DEFAULT_ABUSE_LIMITS, jsonBodyBytes: 4 * 1024, headerBytes: 4 * 1024 };

// Through the real startService: its HTTP server and body parsers are what a service runs with.
describe('request size limits over HTTP (ADR 0016)', () => {
  let service: RunningService;
  const noteOf = (bytes: number) => JSON.stringify({ text: 'n'.repeat(bytes - '{"text":""}'.length) });

  before(async () => {
    service = await startServiceUnderLimits(limits, { controllers: [NotesController] });
  });
  after(() => service.app.close());

  it('accepts a JSON body at the limit and answers one byte more with a 413 problem that names the limit', async () => {
    const atLimit = await send(`${service.url}/notes`, { method: 'POST', body: noteOf(limits.jsonBodyBytes) });
    assert.equal(atLimit.status, 201, atLimit.body);
    const answer = await send(`${service.url}/notes`, { method: 'POST', body: noteOf(limits.jsonBodyBytes + 1) });
    assert.equal(answer.status, 413, answer.body);
    assert.equal(answer.headers['content-type']?.split(';')[0], 'application/problem+json');
    const problem = JSON.parse(answer.body) as Record<string, unknown>;
    assert.equal(problem.type, BODY_TOO_LARGE_PROBLEM);
    assert.equal(problem.status, 413);
    assert.equal(problem.limitBytes, limits.jsonBodyBytes);
    assert.match(String(problem.detail), /larger than the 4096 bytes/);
    assert.equal(problem.instance, '/notes');
  });

  it('answers headers over the limit with a 431 problem+json, though Node refuses them before the app, and keeps serving smaller ones', async () => {
    const answer = await send(`${service.url}/health`, { headers: { 'x-padding': 'p'.repeat(limits.headerBytes) } });
    assert.equal(answer.status, 431, answer.body);
    assert.equal(answer.headers['content-type'], 'application/problem+json');
    const problem = JSON.parse(answer.body) as Record<string, unknown>;
    assert.equal(problem.type, HEADERS_TOO_LARGE_PROBLEM);
    assert.equal(problem.status, 431);
    assert.equal(problem.limitBytes, limits.headerBytes);
    const underLimit = await send(`${service.url}/health`, { headers: { 'x-padding': 'p'.repeat(limits.headerBytes / 2) } });
    assert.equal(underLimit.status, 200, underLimit.body);
  });

  it('counts the URL in the header limit: a URL over it gets the same 431, a shorter one is served', async () => {
    const answer = await send(`${service.url}/health?q=${'u'.repeat(limits.headerBytes)}`);
    assert.equal(answer.status, 431, answer.body);
    assert.equal((JSON.parse(answer.body) as { type: string }).type, HEADERS_TOO_LARGE_PROBLEM);
    assert.equal((await send(`${service.url}/health?q=${'u'.repeat(limits.headerBytes / 2)}`)).status, 200);
  });
});
