import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { SystemClock } from '@faultline/shared/clock';
import { createDependencyPipeline } from '@faultline/shared/resilience';
import { SMTP_POLICY, type DeliverySettings } from './delivery-settings.js';
import { SmtpMailer, SmtpSendError } from './smtp-mailer.js';

/**
 * A stand-in SMTP server that answers MAIL FROM with a reply of the test's choosing and counts the
 * conversations that reached it (a fake is fine in a unit test; the real sink is MailDev's).
 */
class ScriptedSmtpServer {
  conversations = 0;
  mailFromReply = '250 OK';
  private readonly server: Server = createServer((socket) => {
    this.conversations += 1;
    socket.write('220 scripted ESMTP\r\n');
    let buffer = '';
    let inData = false;
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end).toUpperCase();
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            socket.write('250 2.0.0 queued as scripted\r\n');
          }
        } else if (line.startsWith('EHLO') || line.startsWith('HELO')) socket.write('250 scripted\r\n');
        else if (line.startsWith('MAIL FROM')) socket.write(`${this.mailFromReply}\r\n`);
        else if (line === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (line.startsWith('QUIT')) socket.end('221 bye\r\n');
        else socket.write('250 OK\r\n');
      }
    });
    socket.on('error', () => undefined);
  });

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('SmtpMailer', () => {
  const server = new ScriptedSmtpServer();
  let port: number;
  const mailer = () => {
    const settings: DeliverySettings = {
      smtp: { host: '127.0.0.1', port },
      from: 'Faultline <notifications@faultline.example>',
      policy: { ...SMTP_POLICY, timeoutMs: 2_000, retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 5 } },
      pollIntervalMs: 100,
      retryBackoff: { firstMs: 100, maxMs: 1_000 },
    };
    const pipeline = createDependencyPipeline({ dependency: 'smtp', policy: settings.policy, registry: new Registry(), logger: pino({ level: 'silent' }), clock: new SystemClock() });
    return { mailer: new SmtpMailer(settings, pipeline), pipeline };
  };
  const email = { to: 'ada@example.com', subject: 'hello', text: 'hello', html: '<p>hello</p>', messageId: '<e1@notifications.faultline>' };

  before(async () => {
    port = await server.listen();
  });
  after(() => server.close());

  it('takes a 5xx reply as a permanent refusal: one conversation, not retried, not counted by the breaker', async () => {
    server.mailFromReply = '550 5.1.0 sender rejected';
    const { mailer: m, pipeline } = mailer();
    for (let i = 0; i < 8; i++) {
      const before = server.conversations;
      await assert.rejects(m.send(email), (error: unknown) => {
        assert.ok(error instanceof SmtpSendError);
        assert.equal(error.permanent, true);
        assert.equal(error.conversations, 1);
        return true;
      });
      assert.equal(server.conversations - before, 1, 'never retried');
    }
    assert.equal(pipeline.state, 'closed', 'eight refusals from a healthy server leave the breaker closed');
    m.close();
  });

  it('retries a 4xx reply (a transient refusal) and counts it, so a server that keeps refusing opens the breaker', async () => {
    server.mailFromReply = '451 4.3.0 try again later';
    const { mailer: m, pipeline } = mailer();
    const before = server.conversations;
    await assert.rejects(m.send(email), (error: unknown) => error instanceof SmtpSendError && !error.permanent && error.conversations === 3);
    assert.equal(server.conversations - before, 3, 'three attempts');
    await assert.rejects(m.send(email), SmtpSendError);
    assert.equal(pipeline.state, 'open', 'five failed conversations in the window open it');
    const fast = await m.send(email).catch((error: unknown) => error);
    assert.ok(fast instanceof SmtpSendError && fast.conversations === 0, 'an open breaker fails fast, the server never sees it');
    m.close();
  });

  it("resolves with the server's reply when it accepts the message", async () => {
    server.mailFromReply = '250 OK';
    const { mailer: m } = mailer();
    assert.equal(await m.send(email), '250 2.0.0 queued as scripted');
    m.close();
  });
});
