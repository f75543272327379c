import { decodeJwt } from 'jose';
import { ServiceProcess, eventually, forgeTokens } from '@faultline/shared/testing';
import { scenarioEnvironment } from '../environment.js';
import { requireScenarioPortsFree } from '../free-ports.js';
import { ScenarioIdentity } from '../identity.js';
import type { Narrator, Scenario, ScenarioMode, ScenarioOutcome } from '../scenario.js';
import { BillingUnderSkew, isServedNotFound, type GuardAnswer } from './billing-under-skew.js';

/** The correct policy's numbers (libs/shared/src/auth/token-policy.ts), as the room sees them. */
const TOLERANCE_S = 30;
const LIFETIME_S = 600;
/**
 * The claim a verifier names for a token from its future. The identity provider's access tokens
 * carry `iat` and no `nbf`, so it is the verifier's maxTokenAge check that refuses them: an `iat`
 * beyond its clock plus the tolerance.
 */
const FUTURE_CLAIM = 'iat';
/**
 * Billing probes its peers every 5 s (ServiceClockOptions): /ready changes within two rounds. The
 * bound is generous on purpose; the scenario waits for the change itself, not for a speed.
 */
const READINESS_TIMEOUT_MS = 30_000;

/**
 * Article 2 — clock skew against tokens. The identity provider (the issuer), billing (a verifier)
 * and orders (the peer whose clock billing's skew monitor probes at /time) run as real processes
 * with FAULTLINE_AUTH=enforce; the scenario is a customer who signs in at the identity provider for
 * a user token and calls billing with it while it moves billing's clock (PUT /admin/clock).
 * "Accepted" means served: the read of the customer's own profile, which billing does not have,
 * answers 404 problem+json. Naive: zero tolerance — billing 2 s behind refuses a token the identity
 * provider just issued; and 24 h tokens — billing 2 h ahead still accepts it. Correct: 29 s
 * accepted, 31 s refused naming iat, a token expired beyond the tolerance refused naming exp, /ready
 * red past 15 s and green again once the clock is back, and every forgery refused while orders'
 * genuine service token is served.
 */
export const clockSkewScenario: Scenario = {
  name: 'clock-skew',
  article: 2,
  title: `Clock skew — tokens refused at 2 s, or tolerated to ${TOLERANCE_S} s and monitored`,
  // The token policy, on both sides: the identity provider issues 24 h tokens or 10 min ones,
  // billing verifies with zero tolerance or 30 s.
  switches: { naive: { FAULTLINE_TOKEN_VALIDATION: 'naive' }, correct: { FAULTLINE_TOKEN_VALIDATION: 'correct' } },
  promise: {
    naive: 'zero tolerance, 24 h tokens: billing 2 s behind the identity provider refuses a fresh token; 2 h ahead it still accepts it',
    correct:
      `${TOLERANCE_S} s tolerance, ${LIFETIME_S / 60} min tokens: ${TOLERANCE_S - 1} s accepted, ${TOLERANCE_S + 1} s refused naming ${FUTURE_CLAIM}, ` +
      'expired refused naming exp, /ready red past 15 s and green once fixed, forgeries refused',
  },
  run: runClockSkew,
};

async function runClockSkew(mode: ScenarioMode, narrate: Narrator): Promise<ScenarioOutcome> {
  const env = scenarioEnvironment();
  await requireScenarioPortsFree({ orders: env.ORDERS_HTTP_PORT, billing: env.BILLING_HTTP_PORT });
  const started = performance.now();
  const serviceEnv: Record<string, string> = {
    FAULTLINE_WORKSHOP_MODE: 'true',
    FAULTLINE_AUTH: 'enforce',
    ...clockSkewScenario.switches[mode],
    // Not about fulfilment: no saga, no Temporal worker.
    ORDERS_FULFILMENT: 'off',
  };
  let identity: ScenarioIdentity | undefined;
  let orders: ServiceProcess | undefined;
  let billing: ServiceProcess | undefined;
  try {
    narrate.step(
      `Starting the identity provider (the issuer), billing and orders (the peer billing's skew monitor probes) ` +
        `with FAULTLINE_AUTH=enforce, FAULTLINE_TOKEN_VALIDATION=${serviceEnv.FAULTLINE_TOKEN_VALIDATION}`,
    );
    identity = await ScenarioIdentity.start({ FAULTLINE_WORKSHOP_MODE: 'true', ...clockSkewScenario.switches[mode] });
    orders = await ServiceProcess.start({ app: 'orders', port: env.ORDERS_HTTP_PORT, env: () => serviceEnv, logName: 'scenario-orders' });
    billing = await ServiceProcess.start({ app: 'billing', port: env.BILLING_HTTP_PORT, env: () => serviceEnv, logName: 'scenario-billing' });
    const clock = await BillingUnderSkew.signUp(identity.url, billing.url);
    const token = await clock.freshUserToken();
    const claims = decodeJwt(token);
    narrate.detail(
      `customer ${clock.customerId.slice(0, 8)}… signs up and signs in at ${identity.url} → a user token: iss ${String(claims.iss)}, ` +
        `aud ${String(claims.aud)}, lives ${Number(claims.exp) - Number(claims.iat)} s, ${claims.nbf === undefined ? 'no nbf' : `nbf ${claims.nbf}`} (${token.slice(0, 24)}…)`,
    );
    const outcome = mode === 'naive' ? await showNaive(clock, narrate) : await showCorrect(clock, identity, narrate);
    outcome.measurements.tokenLifetimeSeconds = Number(claims.exp) - Number(claims.iat);
    outcome.measurements.durationMs = Math.round(performance.now() - started);
    return outcome;
  } finally {
    await billing?.stop();
    await orders?.stop();
    await identity?.stop();
  }
}

async function showNaive(clock: BillingUnderSkew, narrate: Narrator): Promise<ScenarioOutcome> {
  narrate.step('1. Billing 2 s behind the identity provider (an NTP sync that is a little late): a token it just issued');
  const twoSeconds = await clock.freshTokenAtSkew(-2_000);
  narrate.detail(describeAnswer(twoSeconds));

  narrate.step('2. Billing 2 h ahead: the same kind of token, which should have died long ago by any 10-minute standard');
  const twoHours = await clock.freshTokenAtSkew(2 * 3_600_000);
  narrate.detail(describeAnswer(twoHours));

  narrate.step("3. Billing's /ready with its clock 2 s off: the monitor alerts at 15 s, so nothing warns of the 401s");
  let readyWhileRefusing: number;
  let measuredSkew: number | undefined;
  try {
    await clock.setSkew(-2_000);
    // Billing probes its peers every 5 s: /ready is read once a probe has measured these 2 s, not
    // while it still reports the 2 h of step 2.
    measuredSkew = await eventually(
      async () => {
        const seconds = await clock.measuredSkewSeconds('orders');
        return Math.abs(seconds - 2) < 0.5 ? seconds : undefined;
      },
      { timeoutMs: READINESS_TIMEOUT_MS, intervalMs: 250, what: "billing's skew monitor measuring orders 2 s ahead" },
    ).catch(() => undefined);
    readyWhileRefusing = await clock.readinessStatus();
  } finally {
    await clock.setSkew(0);
  }
  narrate.detail(
    `clock_skew_seconds{peer="orders"} on billing's /metrics: ${measuredSkew ?? 'not 2 s within the wait'}; GET /ready → ${readyWhileRefusing}`,
  );

  const rejectedAtTwoSeconds = twoSeconds.status === 401;
  const acceptedTwoHoursAhead = isServedNotFound(twoHours);
  return {
    showedWhatItPromised:
      rejectedAtTwoSeconds && twoSeconds.claim === FUTURE_CLAIM && acceptedTwoHoursAhead && measuredSkew !== undefined && readyWhileRefusing === 200,
    measurements: {
      rejectedAtTwoSeconds,
      rejectedClaimAtTwoSeconds: twoSeconds.claim ?? 'none',
      acceptedTwoHoursAhead,
      answerTwoHoursAhead: twoHours.status,
      measuredSkewSecondsWhileRefusing: measuredSkew ?? 'none',
      readinessWhileRefusing: readyWhileRefusing,
    },
  };
}

async function showCorrect(clock: BillingUnderSkew, identity: ScenarioIdentity, narrate: Narrator): Promise<ScenarioOutcome> {
  narrate.step(`1. Billing 29 s behind the identity provider: a fresh token's ${FUTURE_CLAIM} is 29 s in billing's future, within the ${TOLERANCE_S} s tolerance`);
  const at29 = await clock.freshTokenAtSkew(-29_000);
  narrate.detail(describeAnswer(at29));

  narrate.step('2. Billing 31 s behind: 1 s beyond the tolerance');
  const at31 = await clock.freshTokenAtSkew(-31_000);
  narrate.detail(describeAnswer(at31));

  narrate.step(`3. Billing ${LIFETIME_S + 31} s ahead: the token's ${LIFETIME_S} s are over by billing's clock, plus 31 s`);
  const expired = await clock.freshTokenAtSkew((LIFETIME_S + 31) * 1_000);
  narrate.detail(describeAnswer(expired));

  narrate.step("4. Billing 16 s ahead: past half the tolerance, billing's skew monitor takes it out of rotation");
  await clock.setSkew(16_000);
  let measuredAt16: number | undefined;
  let readinessRed = { turned: false, afterMs: -1 };
  try {
    // Billing probes its peers every 5 s: /ready is judged once a probe has measured these 16 s, not
    // while it still reports the 631 s of step 3.
    measuredAt16 = await eventually(
      async () => {
        const seconds = await clock.measuredSkewSeconds('orders');
        return Math.abs(seconds + 16) < 1 ? seconds : undefined;
      },
      { timeoutMs: READINESS_TIMEOUT_MS, intervalMs: 250, what: "billing's skew monitor measuring orders 16 s behind" },
    ).catch(() => undefined);
    if (measuredAt16 !== undefined) readinessRed = await readinessTurns(clock, 503);
    narrate.detail(`clock_skew_seconds{peer="orders"} on billing's /metrics: ${measuredAt16 ?? 'not 16 s within the wait'}`);
    narrate.detail(`GET /ready → ${readinessRed.turned ? `503: ${await clock.readinessDetail()}` : 'still 200'}`);
  } finally {
    await clock.setSkew(0);
  }
  const readinessGreen = await readinessTurns(clock, 200);
  narrate.detail(`clock back in line → GET /ready ${readinessGreen.turned ? `200 after ${readinessGreen.afterMs} ms` : 'still 503'}`);

  narrate.step("5. Forgeries against billing /payments (orders' service tokens only), each made from orders' genuine one: each must be a 401 naming what failed");
  const genuine = await identity.ordersServiceToken('billing');
  const served = await clock.callPayments(genuine);
  narrate.detail(`orders' genuine service token (client credentials) → ${describePaymentsAnswer(served)}`);
  const forged = await forgeTokens(genuine, await clock.publishedKey(genuine));
  const attacks: Record<string, string> = {
    'tampered signature': forged.tampered,
    'user token (wrong audience)': await clock.freshUserToken(),
    'unknown kid': forged.unknownKid,
    'alg none': forged.algNone,
    'HS256 signed with the public key': forged.hs256WithPublicKey,
  };
  let forgeriesRefused = 0;
  for (const [attack, forgedToken] of Object.entries(attacks)) {
    const answer = await clock.callPayments(forgedToken);
    if (answer.status === 401) forgeriesRefused += 1;
    narrate.detail(`${attack} → ${describeAnswer(answer)}`);
  }

  const genuineServed = isServedNotFound(served);
  const accepted29 = isServedNotFound(at29);
  const rejected31 = at31.status === 401;
  const expiredRejected = expired.status === 401;
  return {
    showedWhatItPromised:
      accepted29 &&
      rejected31 &&
      at31.claim === FUTURE_CLAIM &&
      expiredRejected &&
      expired.claim === 'exp' &&
      readinessRed.turned &&
      readinessGreen.turned &&
      genuineServed &&
      forgeriesRefused === Object.keys(attacks).length,
    measurements: {
      acceptedAt29s: accepted29,
      answerAt29s: at29.status,
      rejectedAt31s: rejected31,
      rejectedClaimAt31s: at31.claim ?? 'none',
      expiredRejectedClaim: expiredRejected ? (expired.claim ?? 'none') : 'accepted',
      measuredSkewSecondsAt16s: measuredAt16 ?? 'none',
      readinessRedAt16s: readinessRed.turned,
      readinessGreenAgain: readinessGreen.turned,
      readinessGreenAfterMs: readinessGreen.afterMs,
      genuineServiceTokenServed: genuineServed,
      forgeriesRefused: `${forgeriesRefused}/${Object.keys(attacks).length}`,
    },
  };
}

/** Waits until billing's /ready answers `status`, within READINESS_TIMEOUT_MS; how long it took, for the narration. */
async function readinessTurns(clock: BillingUnderSkew, status: number): Promise<{ turned: boolean; afterMs: number }> {
  const started = performance.now();
  const turned = await eventually(async () => ((await clock.readinessStatus()) === status ? true : undefined), {
    timeoutMs: READINESS_TIMEOUT_MS,
    intervalMs: 250,
    what: `billing's /ready answering ${status}`,
  }).catch(() => false);
  return { turned, afterMs: turned ? Math.round(performance.now() - started) : -1 };
}

function describePaymentsAnswer(answer: GuardAnswer): string {
  if (isServedNotFound(answer)) return `404 — token accepted, no payment request has that key (${answer.detail})`;
  return `${answer.status} ${answer.contentType}${answer.claim ? `, claim ${answer.claim}` : ''} — not served (${answer.detail})`;
}

function describeAnswer(answer: GuardAnswer): string {
  if (answer.status === 401) return `401 refused, claim ${answer.claim ?? '?'}: ${answer.detail}`;
  if (isServedNotFound(answer)) return `404 — token accepted, the customer is unknown (${answer.detail})`;
  return `${answer.status} ${answer.contentType} — neither refused nor served as expected (${answer.detail})`;
}
