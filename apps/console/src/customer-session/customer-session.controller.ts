import type { IncomingMessage, ServerResponse } from 'node:http';
import { Body, Controller, Get, Headers, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import { z } from 'zod';
import { ProblemDetailsException, ProblemType } from '@faultline/shared/problem-details';
import type { ConsoleSettings } from '../config.js';
import type { CustomerSession } from '../console-api.js';
import { CONSOLE_SETTINGS } from '../console-tokens.js';
import { requireChangeAllowed } from '../fault-switches/change-guard.js';
import { CustomerSessions, SignInFailed } from './customer-sessions.js';

/** The page's session cookie: opaque, HttpOnly, sent back only by requests from the console's own pages and navigations to it. */
const SESSION_COOKIE = 'faultline_console_session';
/** Orders answers within this, or the page hears that it did not. */
const ORDERS_TIMEOUT_MS = 10_000;

const placeOrder = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/),
  items: z.array(z.strictObject({ sku: z.string().min(1).max(64), quantity: z.int().min(1).max(100), unitPriceCents: z.int().min(0).max(1_000_000) })).min(1).max(20),
});

/**
 * A customer on the page (workshop mode): signs in at the identity provider through the console,
 * and places orders as themself. The console adds their token to the request to orders; the page
 * sends the Idempotency-Key, so a double click places one order.
 */
@Controller('api')
export class CustomerSessionController {
  constructor(
    private readonly sessions: CustomerSessions,
    @Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings,
  ) {}

  @Get('session')
  session(@Req() request: IncomingMessage): CustomerSession {
    return this.sessions.describe(sessionId(request));
  }

  /** Starts the sign-in: the browser goes to the identity provider's login form. */
  @Get('session/sign-in')
  async signIn(@Res() response: ServerResponse): Promise<void> {
    this.requireWorkshopMode();
    const url = await this.sessions.signInUrl().catch(signInProblem);
    response.writeHead(302, { location: url.href, 'cache-control': 'no-store' }).end();
  }

  /** The identity provider's redirect back: the code exchanged for the token, the session cookie set, the page again. */
  @Get('session/callback')
  async callback(@Req() request: IncomingMessage, @Res() response: ServerResponse): Promise<void> {
    this.requireWorkshopMode();
    const callbackUrl = new URL(request.url ?? '/', `http://${this.settings.http.host}:${this.settings.http.port}`);
    const id = await this.sessions.finishSignIn(callbackUrl).catch(signInProblem);
    response
      .writeHead(302, {
        location: '/',
        'cache-control': 'no-store',
        'set-cookie': serializeCookie(SESSION_COOKIE, id, { httpOnly: true, sameSite: 'lax', path: '/' }),
      })
      .end();
  }

  @Post('session/sign-out')
  @HttpCode(204)
  signOut(@Req() request: IncomingMessage, @Res({ passthrough: true }) response: ServerResponse): void {
    requireChangeAllowed(this.settings, request);
    this.sessions.end(sessionId(request));
    response.setHeader('set-cookie', serializeCookie(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 0 }));
  }

  /** Places an order as the signed-in customer: orders' own POST /orders, with their token. Orders' answer comes back as it is. */
  @Post('orders')
  async placeOrder(
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: IncomingMessage,
    @Res() response: ServerResponse,
  ): Promise<void> {
    requireChangeAllowed(this.settings, request);
    const session = this.sessions.session(sessionId(request));
    if (!session) throw new ProblemDetailsException({ type: ProblemType.plain, title: 'Unauthorized', status: 401, detail: 'sign in as a customer on the page first' });
    const parsed = placeOrder.safeParse(body);
    if (!parsed.success) {
      throw new ProblemDetailsException({ type: ProblemType.validation, title: 'Request validation failed', status: 400, detail: z.prettifyError(parsed.error) });
    }
    if (!idempotencyKey) throw new ProblemDetailsException({ type: ProblemType.validation, title: 'Request validation failed', status: 400, detail: 'the page sends an Idempotency-Key with each order' });
    const orders = this.settings.services.find((service) => service.name === 'orders');
    const answer = await fetch(`${orders?.url}/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.accessToken}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify({ customerId: session.customerId, ...parsed.data }),
      signal: AbortSignal.timeout(ORDERS_TIMEOUT_MS),
    }).catch((error: Error) => {
      throw new ProblemDetailsException({ type: ProblemType.dependencyUnavailable, title: 'Orders did not answer', status: 502, detail: `${orders?.url}/orders: ${error.message}` });
    });
    const text = await answer.text();
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(text);
  }

  private requireWorkshopMode(): void {
    if (!this.settings.workshopMode) {
      throw new ProblemDetailsException({ type: ProblemType.plain, title: 'Forbidden', status: 403, detail: 'the console is read-only: customers sign in on a console in workshop mode' });
    }
  }
}

function sessionId(request: IncomingMessage): string | undefined {
  return parseCookies(request.headers.cookie ?? '')[SESSION_COOKIE];
}

function signInProblem(error: unknown): never {
  if (!(error instanceof SignInFailed)) throw error;
  throw new ProblemDetailsException({ type: ProblemType.plain, title: 'Sign-in failed', status: 400, detail: error.message });
}
