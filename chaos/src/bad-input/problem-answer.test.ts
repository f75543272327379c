import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { problemAnswerViolation } from './problem-answer.js';

const problem = (status: number, body: Record<string, unknown> = { type: 'about:blank', title: 'Bad Request', status, detail: 'no' }) => ({
  status,
  contentType: 'application/problem+json; charset=utf-8',
  body: JSON.stringify(body),
});

describe('the bad-input property on one answer', () => {
  it('accepts a success, and a 4xx problem whose status matches the answer', () => {
    assert.equal(problemAnswerViolation({ status: 201, contentType: 'application/json', body: '{}' }), undefined);
    assert.equal(problemAnswerViolation(problem(400)), undefined);
    assert.equal(problemAnswerViolation(problem(413)), undefined);
  });

  it('refuses any 5xx, even one that is a valid problem', () => {
    assert.match(problemAnswerViolation(problem(500)) ?? '', /answered 500/);
    assert.match(problemAnswerViolation(problem(503)) ?? '', /answered 503/);
  });

  it('refuses a 4xx that is not problem+json, or whose body is not a valid problem', () => {
    assert.match(problemAnswerViolation({ status: 400, contentType: 'text/html', body: '<h1>Bad</h1>' }) ?? '', /not application\/problem\+json/);
    assert.match(problemAnswerViolation({ status: 400, contentType: 'application/problem+json', body: 'oops' }) ?? '', /not JSON/);
    assert.match(problemAnswerViolation(problem(404, { type: 'about:blank', title: 'Not Found', status: 400 })) ?? '', /status 400 is not the HTTP status 404/);
    assert.match(problemAnswerViolation(problem(400, { title: 'Bad Request', status: 400 })) ?? '', /type is not/);
  });
});
