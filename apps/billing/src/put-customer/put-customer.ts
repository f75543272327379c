import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '@faultline/shared/clock';
import { BillingSchedules } from '../billing-run/billing-schedules.js';
import { BillingCustomer } from '../entities/index.js';

export interface PutCustomerCommand {
  id: string;
  displayName: string;
  timeZone: string;
}

/**
 * Creates or replaces a customer's billing profile in one statement, so two concurrent PUTs of a
 * new customer cannot both try to insert. `created_at` is kept on update. Then it starts the
 * customer's daily billing schedule, or tells the running one the (maybe new) time zone: after a
 * failure there, the PUT fails and its retry, being idempotent, completes both (article 9).
 */
@Injectable()
export class PutCustomer {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly schedules: BillingSchedules,
  ) {}

  async execute(command: PutCustomerCommand): Promise<{ customer: BillingCustomer; created: boolean }> {
    const rows = (await this.dataSource.query(
      `INSERT INTO billing_customers (id, display_name, time_zone, created_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET display_name = EXCLUDED.display_name, time_zone = EXCLUDED.time_zone
       -- xmax is 0 only on a row version this statement inserted, not on one it updated.
       RETURNING created_at, (xmax = 0) AS created`,
      [command.id, command.displayName, command.timeZone, this.clock.now()],
    )) as { created_at: Date; created: boolean }[];
    const [row] = rows;
    if (!row) throw new Error('upsert of billing_customers returned no row');
    const customer = Object.assign(new BillingCustomer(), { ...command, createdAt: row.created_at });
    await this.schedules.ensureScheduled(customer);
    return { customer, created: row.created };
  }
}
