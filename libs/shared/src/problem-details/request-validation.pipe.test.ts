import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { RequestValidationException } from './problem-details.js';
import { RequestValidationPipe } from './request-validation.pipe.js';

const orderBody = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be three uppercase letters'),
  items: z.array(z.object({ sku: z.string(), quantity: z.int().min(1) })).min(1),
  note: z.string().default(''),
});

const pipe = new RequestValidationPipe();

async function rejection(promise: Promise<unknown>): Promise<RequestValidationException> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RequestValidationException, `expected a RequestValidationException, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the pipe to reject');
}

describe('RequestValidationPipe', () => {
  it('passes on the value the schema parsed, defaults included', async () => {
    const value = await pipe.transform({ currency: 'EUR', items: [{ sku: 'a', quantity: 2 }] }, { type: 'body', schema: orderBody });
    assert.deepEqual(value, { currency: 'EUR', items: [{ sku: 'a', quantity: 2 }], note: '' });
  });

  it('lists every invalid body field with its path and message', async () => {
    const error = await rejection(
      pipe.transform({ currency: 'eur', items: [{ sku: 'a', quantity: 0 }] }, { type: 'body', schema: orderBody }),
    );
    assert.equal(error.getStatus(), 400);
    assert.deepEqual(
      error.errors.map(({ in: place, path }) => `${place}:${path}`),
      ['body:currency', 'body:items.0.quantity'],
    );
    assert.equal(error.errors[0]?.message, 'must be three uppercase letters');
  });

  it('names the path parameter when a single route parameter is invalid', async () => {
    const error = await rejection(pipe.transform('not-a-uuid', { type: 'param', data: 'id', schema: z.uuid() }));
    assert.deepEqual(error.errors.map(({ in: place, path }) => `${place}:${path}`), ['path:id']);
  });

  it('reports a missing body as one error at the root of the body', async () => {
    const error = await rejection(pipe.transform(undefined, { type: 'body', schema: orderBody }));
    assert.equal(error.errors.length, 1);
    assert.deepEqual({ in: error.errors[0]?.in, path: error.errors[0]?.path }, { in: 'body', path: '' });
  });

  it('refuses a string with a NUL character, which PostgreSQL cannot store, naming each field that holds one', async () => {
    const error = await rejection(
      pipe.transform({ currency: 'EUR', items: [{ sku: 'a\u0000b', quantity: 1 }], note: '\u0000' }, { type: 'body', schema: orderBody }),
    );
    assert.deepEqual(error.errors.map(({ in: place, path }) => `${place}:${path}`).sort(), ['body:items.0.sku', 'body:note']);
    assert.match(error.errors[0]?.message ?? '', /NUL character/);
    const param = await rejection(pipe.transform('key\u0000', { type: 'param', data: 'idempotencyKey', schema: z.string() }));
    assert.deepEqual(param.errors.map(({ in: place, path }) => `${place}:${path}`), ['path:idempotencyKey']);
  });

  it('refuses a string that is not well-formed Unicode (an unpaired surrogate), naming the field, and accepts a surrogate pair', async () => {
    // JSON.parse of `"\ud800"` gives exactly this string: a request body can carry it.
    const raw = JSON.parse('{"currency":"EUR","items":[{"sku":"tea\\ud800","quantity":1}],"note":"\\udc00"}') as unknown;
    const error = await rejection(pipe.transform(raw, { type: 'body', schema: orderBody }));
    assert.deepEqual(error.errors.map(({ in: place, path }) => `${place}:${path}`).sort(), ['body:items.0.sku', 'body:note']);
    assert.match(error.errors[0]?.message ?? '', /well-formed Unicode/);
    const emoji = await pipe.transform({ currency: 'EUR', items: [{ sku: 'tea \ud83c\udf75', quantity: 1 }] }, { type: 'body', schema: orderBody });
    assert.equal((emoji as { items: { sku: string }[] }).items[0]?.sku, 'tea 🍵');
    const query = await rejection(pipe.transform({ zone: '\ud800' }, { type: 'query', schema: z.object({ zone: z.string() }) }));
    assert.deepEqual(query.errors.map(({ in: place, path }) => `${place}:${path}`), ['query:zone']);
  });

  it('leaves arguments declared without a schema untouched', async () => {
    const raw = { anything: true };
    assert.equal(await pipe.transform(raw, { type: 'body' }), raw);
  });
});
