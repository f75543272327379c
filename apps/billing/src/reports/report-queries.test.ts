import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { customerReportQuery, revenueReportQuery } from './reports.controller.js';

describe('report queries', () => {
  it('refuses a malformed date as a validation issue instead of throwing while checking the range', () => {
    for (const from of ['', 'garbage', '2026-13-01']) {
      const customer = customerReportQuery.safeParse({ from, to: '2020-01-01' });
      assert.equal(customer.success, false);
      assert.deepEqual(customer.error?.issues.map((issue) => issue.path.join('.')), ['from']);
      const revenue = revenueReportQuery.safeParse({ zone: 'Europe/Paris', from: '2020-01-01', to: from });
      assert.equal(revenue.success, false);
      assert.deepEqual(revenue.error?.issues.map((issue) => issue.path.join('.')), ['to']);
    }
  });

  it('still refuses a reversed range or one longer than a year once both dates are valid', () => {
    assert.equal(customerReportQuery.safeParse({ from: '2026-03-02', to: '2026-03-01' }).success, false);
    assert.equal(customerReportQuery.safeParse({ from: '2026-01-01', to: '2027-01-02' }).success, false);
    assert.equal(customerReportQuery.safeParse({ from: '2026-03-01', to: '2026-03-08' }).success, true);
  });
});
