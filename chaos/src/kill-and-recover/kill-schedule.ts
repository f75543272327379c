import { setTimeout as sleep } from 'node:timers/promises';
import type { Narrate } from '../chaos-report.js';
import type { ChaosServices, ServiceName } from './chaos-services.js';
import { awaitReplicaStreaming, killAndRestart, type InfrastructureComponent } from './infrastructure-kills.js';
import type { KillAndRecoverProfile } from './kill-and-recover-profile.js';
import { LINK_CUTS, type ToxiproxyLinks } from './toxiproxy-cuts.js';

/** How long the services get to reconnect after the broker or the primary is back. */
const RECONNECT_WITHIN_MS = 90_000;
/** How long the run waits for one of its own orders replicas to win the relay lock. */
const LEADER_WITHIN_MS = 20_000;
const POLL_MS = 200;
/** The replica reconnects on its own (wal_retrieve_retry_interval, 5 s by default). */
const REPLICA_STREAMING_WITHIN_MS = 30_000;

/** What happened when the relay leader was killed: the report's take-over invariant (judgeRelayTakeOver). */
export interface RelayTakeOver {
  /** The run's replica that held the lock when it was killed; undefined when neither of them held it. */
  leader: ServiceName | undefined;
  /** The replica that had to take over. */
  survivor: ServiceName;
  /** From the kill to the survivor reporting itself leader; undefined when it did not within `withinMs`. */
  tookOverMs: number | undefined;
  withinMs: number;
}

/** What the schedule observed that the ledgers cannot tell afterwards. */
export interface KillScheduleOutcome {
  relayTakeOver: RelayTakeOver;
}

export interface KillScheduleContext {
  profile: KillAndRecoverProfile;
  services: ChaosServices;
  links: ToxiproxyLinks;
  narrate: Narrate;
  /** Orders accepted so far, for the narration. */
  accepted: () => number;
  /** Seconds each target took to come back, by target: the report's counts. */
  recoveries: Record<string, number>;
}

/**
 * The faults, one after another, each healed before the next: the identity provider and the four
 * services, the relay leader, four link cuts, then the broker and the primary (last, and only once:
 * other suites share them). The identity provider goes first, so every service restarted after it
 * loads its keys from the restarted provider and must accept the tokens issued before.
 */
export async function runKillSchedule(context: KillScheduleContext): Promise<KillScheduleOutcome> {
  const { profile } = context;
  for (const service of ['identity', 'payment-provider', 'billing', 'notifications'] as const) await killService(context, service, service);
  const leader = await relayLeader(context);
  const standby: ServiceName = leader === 'orders-a' ? 'orders-b' : 'orders-a';
  await killService(context, standby, 'orders');
  const relayTakeOver = await killRelayLeader(context);
  for (const link of LINK_CUTS) {
    say(context, `cut ${link.describe} for ${profile.toxicMs / 1000} s`);
    await context.links.cut(link);
    try {
      await sleep(profile.toxicMs);
    } finally {
      await context.links.heal(link);
    }
    const started = performance.now();
    await waitUntilReady(context);
    record(context, `all ready after ${link.proxy} ${link.type}`, started);
    await sleep(profile.settleMs);
  }
  if (!profile.infrastructure) say(context, 'infrastructure kills skipped (profile)');
  else for (const component of ['kafka', 'postgres-primary'] as const) await killInfrastructure(context, component);
  return { relayTakeOver };
}

async function killService(context: KillScheduleContext, name: ServiceName, target: string): Promise<void> {
  say(context, `kill -9 ${name}; down for ${context.profile.outageMs / 1000} s`);
  await context.services.kill(name);
  await sleep(context.profile.outageMs);
  const started = performance.now();
  await context.services.restart(name);
  record(context, `${target} back after restart`, started);
  await sleep(context.profile.settleMs);
}

/**
 * Kills the orders replica that holds the relay's advisory lock: PostgreSQL frees the lock with
 * the dead session and the standby replica must take over and publish the rest (article 4).
 * Returns what it saw for the take-over invariant; when neither replica of the run holds the lock,
 * orders-a is killed all the same (the load goes on) and the invariant fails.
 */
async function killRelayLeader(context: KillScheduleContext): Promise<RelayTakeOver> {
  const leader = await relayLeader(context);
  if (leader === undefined) {
    say(context, 'neither orders replica of the run holds the relay lock (another orders process does?): the take-over cannot be observed');
  }
  const victim = leader ?? 'orders-a';
  const survivor: ServiceName = victim === 'orders-a' ? 'orders-b' : 'orders-a';
  say(context, `kill -9 ${victim}${leader === undefined ? '' : ', the relay leader'}`);
  const killedAt = performance.now();
  await context.services.kill(victim);
  const deadline = killedAt + LEADER_WITHIN_MS;
  let tookOverMs: number | undefined;
  while (tookOverMs === undefined && performance.now() < deadline) {
    if (await leads(context, survivor)) tookOverMs = performance.now() - killedAt;
    else await sleep(POLL_MS);
  }
  if (tookOverMs !== undefined) record(context, `relay lock taken over by ${survivor}`, killedAt);
  else say(context, `${survivor} did not take the relay lock within ${LEADER_WITHIN_MS / 1000} s`);
  await sleep(Math.max(0, context.profile.outageMs - (performance.now() - killedAt)));
  const started = performance.now();
  await context.services.restart(victim);
  record(context, 'relay leader back after restart', started);
  await sleep(context.profile.settleMs);
  return { leader, survivor, tookOverMs, withinMs: LEADER_WITHIN_MS };
}

async function killInfrastructure(context: KillScheduleContext, component: InfrastructureComponent): Promise<void> {
  say(context, `kill -9 ${component}; down for ${context.profile.outageMs / 1000} s`);
  const upMs = await killAndRestart(component, context.profile.outageMs, (ms) => sleep(ms));
  context.recoveries[`${component} up (s)`] = round(upMs);
  say(context, `${component} healthy again (\`up\` took ${(upMs / 1000).toFixed(1)} s)`);
  if (component === 'postgres-primary') {
    const streamingMs = await awaitReplicaStreaming(REPLICA_STREAMING_WITHIN_MS);
    if (streamingMs === undefined) say(context, `the replica was not streaming again within ${REPLICA_STREAMING_WITHIN_MS / 1000} s`);
    else context.recoveries['replica streaming again (s)'] = round(streamingMs);
  }
  const started = performance.now();
  await waitUntilReady(context);
  record(context, `all ready after ${component}`, started);
  await sleep(context.profile.settleMs);
}

/** Waits for every service's /ready; one that died meanwhile is restarted (and said so). */
async function waitUntilReady(context: KillScheduleContext): Promise<void> {
  const deadline = performance.now() + RECONNECT_WITHIN_MS;
  while (performance.now() < deadline) {
    if (await context.services.allReady()) return;
    await sleep(POLL_MS);
  }
  say(context, `not every service was ready within ${RECONNECT_WITHIN_MS / 1000} s: restarting the ones that stopped`);
  await context.services.restartStopped();
}

/** The replica of this run whose `outbox_relay_leader` gauge is 1, waiting a little for one to win. */
async function relayLeader(context: KillScheduleContext): Promise<ServiceName | undefined> {
  const deadline = performance.now() + LEADER_WITHIN_MS;
  while (performance.now() < deadline) {
    for (const name of ['orders-a', 'orders-b'] as const) if (await leads(context, name)) return name;
    await sleep(POLL_MS);
  }
  return undefined;
}

async function leads(context: KillScheduleContext, name: ServiceName): Promise<boolean> {
  if (!context.services.running(name)) return false;
  const metrics = await fetch(`${context.services.url(name)}/metrics`, { signal: AbortSignal.timeout(2_000) }).then(
    (response) => response.text(),
    () => '',
  );
  return /^outbox_relay_leader(?:\{[^}]*\})? 1$/m.test(metrics);
}

function record(context: KillScheduleContext, label: string, startedAt: number): void {
  const seconds = round(performance.now() - startedAt);
  context.recoveries[`${label} (s)`] = seconds;
  say(context, `${label}: ${seconds} s`);
}

function say(context: KillScheduleContext, line: string): void {
  context.narrate(`[${new Date().toISOString().slice(11, 19)}] ${line} — ${context.accepted()} orders accepted so far`);
}

function round(ms: number): number {
  return Math.round(ms / 100) / 10;
}
