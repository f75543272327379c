import type { InvariantCheck } from '../../chaos-report.js';
import type { RelayTakeOver } from '../kill-schedule.js';

/**
 * The relay's hand-over (article 4): once the orders replica holding the advisory lock is killed,
 * the other replica of the run must take the lock within the bound. A lock held by a process
 * outside the run means the hand-over was never exercised: that fails too, saying so.
 */
export function judgeRelayTakeOver(takeOver: RelayTakeOver): InvariantCheck {
  const name = `the surviving orders replica takes the relay lock within ${takeOver.withinMs / 1000} s of the leader's kill -9`;
  if (takeOver.leader === undefined) {
    return {
      name,
      holds: false,
      detail:
        `neither of the run's orders replicas reported outbox_relay_leader 1 within ${takeOver.withinMs / 1000} s before the kill, so the ` +
        'take-over was not exercised: another orders process on this machine holds the lock (stop it and run again), or neither relay runs',
    };
  }
  return {
    name,
    holds: takeOver.tookOverMs !== undefined && takeOver.tookOverMs <= takeOver.withinMs,
    detail:
      takeOver.tookOverMs === undefined
        ? `${takeOver.leader} killed; ${takeOver.survivor} did not report outbox_relay_leader 1 within ${takeOver.withinMs / 1000} s`
        : `${takeOver.leader} killed; ${takeOver.survivor} took the lock after ${(takeOver.tookOverMs / 1000).toFixed(1)} s`,
  };
}
