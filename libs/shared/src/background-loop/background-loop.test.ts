import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';
import { RecordedSpans } from '../testing/index.js';
import { BackgroundLoop, pauseUnlessStopped, retryPauseMs } from './background-loop.js';

describe('BackgroundLoop', () => {
  it('runs its body once however often it is started, and stop waits for the pass in hand', async () => {
    let starts = 0;
    let finished = false;
    const loop = new BackgroundLoop(async (signal) => {
      starts += 1;
      while (!signal.aborted) await pauseUnlessStopped(60_000, signal);
      await pauseUnlessStopped(20, new AbortController().signal);
      finished = true;
    });
    loop.start();
    loop.start();
    assert.equal(loop.isRunning, true);
    await loop.stop();
    assert.equal(starts, 1);
    assert.equal(finished, true, 'stop returned before the body finished');
    assert.equal(loop.isRunning, false);
  });

  it('starts again after a stop', async () => {
    let starts = 0;
    const loop = new BackgroundLoop(async () => {
      starts += 1;
    });
    loop.start();
    await loop.stop();
    loop.start();
    await loop.stop();
    assert.equal(starts, 2);
  });

  it('runs outside the trace of whoever starts it, so its passes join no request', async () => {
    const spans = RecordedSpans.start();
    try {
      let activeInLoop: unknown = 'not run';
      const loop = new BackgroundLoop(async () => {
        activeInLoop = trace.getActiveSpan();
      });
      await trace.getTracer('test').startActiveSpan('POST /admin/start', async (span) => {
        loop.start();
        await loop.stop();
        span.end();
      });
      assert.equal(activeInLoop, undefined);
    } finally {
      await spans.stop();
    }
  });
});

describe('retryPauseMs', () => {
  it('pauses 0 before a failure, then 200 ms doubling up to 5 s', () => {
    assert.deepEqual([0, 1, 2, 3, 5, 6, 40].map(retryPauseMs), [0, 200, 400, 800, 3_200, 5_000, 5_000]);
  });
});
