import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Projections read the event store in commit order, (commit_order, position), instead of position
 * order alone (article 5).
 *
 * Position order can skip an event: a transaction that took its xid early but its position late can
 * commit first and move the checkpoint past a lower position still held by a younger transaction,
 * whose event is then never projected. `events.commit_order` is the writing transaction's id, raised to the stream
 * head's when that one is younger (the event store's append does it), so one stream's versions stay
 * in order too. Everything the projector reads is older than every running transaction, and
 * everything committed later has a commit order at least that of a running or newer transaction:
 * nothing can land behind the checkpoint.
 *
 * The checkpoints restart from the beginning: the projections are idempotent (ON CONFLICT and
 * version guards), so the replay changes nothing already right and projects what was skipped.
 */
export class ProjectInCommitOrder1765400000000 implements MigrationInterface {
  name = 'ProjectInCommitOrder1765400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE events RENAME COLUMN transaction_id TO commit_order`);
    await db.query(`CREATE INDEX events_in_commit_order ON events (commit_order, position)`);
    await db.query(`ALTER TABLE projection_checkpoints ADD COLUMN commit_order xid8 NOT NULL DEFAULT '0'`);
    await db.query(`UPDATE projection_checkpoints SET commit_order = '0', position = 0`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE projection_checkpoints DROP COLUMN commit_order`);
    await db.query(`DROP INDEX events_in_commit_order`);
    await db.query(`ALTER TABLE events RENAME COLUMN commit_order TO transaction_id`);
  }
}
