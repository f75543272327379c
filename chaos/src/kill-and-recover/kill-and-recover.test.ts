import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { formatReport } from '../chaos-report.js';
import { bringUp, componentHealthy } from './infrastructure-kills.js';
import { killAndRecoverShort } from './index.js';

/**
 * The short profile takes about 3 minutes on a quiet machine, up to 6 while other suites run, plus up
 * to 2 minutes of checking when something has not caught up, up to 1 for the last cancellations and
 * up to 1 more for e-mails still on their way.
 */
const RUN_TIMEOUT_MS = 12 * 60_000;

describe('kill and recover (short profile)', () => {
  after(async () => {
    // Even when the run failed half-way, the shared broker and database are left up for everybody.
    for (const component of ['postgres-primary', 'postgres-replica', 'kafka']) {
      if (!(await componentHealthy(component).catch(() => false))) await bringUp(component);
    }
  });

  it('keeps every order, payment and event whole while each service, the relay, Kafka and the primary are killed and links are cut', { timeout: RUN_TIMEOUT_MS }, async () => {
    const report = await killAndRecoverShort.run((line) => console.log(`  ${line}`));
    const text = formatReport(report);
    console.log(text);
    // Ten over the ledgers, the topics and the mailbox (judgeInvariants), one over the relay's hand-over.
    assert.ok(report.invariants.length === 11, `expected eleven invariants:\n${text}`);
    assert.ok(
      report.invariants.every((invariant) => invariant.holds),
      text,
    );
  });
});
