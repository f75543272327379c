import nodemailer, { type Transporter } from 'nodemailer';
import { DependencyClientError, type DependencyPipeline } from '@faultline/shared/resilience';
import type { RenderedEmail } from '../email-templates/email-template.js';
import type { DeliverySettings } from './delivery-settings.js';

export interface OutgoingEmail extends RenderedEmail {
  to: string;
  messageId: string;
}

/**
 * A send that did not deliver. `conversations` says how many SMTP conversations it started: 0 when
 * the open breaker failed it fast (the server never saw it), so there is no attempt to record.
 */
export class SmtpSendError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly conversations: number,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'SmtpSendError';
  }

  /** The server refused the message for good (a 5xx reply): sending it again would not change the answer. */
  get permanent(): boolean {
    return this.cause instanceof DependencyClientError;
  }
}

/** The dependency's name in metrics (`faultline_dependency_breaker_state{dependency="smtp"}`) and logs. */
export const SMTP_DEPENDENCY = 'smtp';

/**
 * Sends one e-mail per SMTP conversation, every one through the SMTP server's DependencyPipeline.
 * A 5xx reply is the server saying no for good (unknown mailbox, message refused): like an HTTP 4xx
 * it is neither retried nor counted by the breaker. Anything else — refused connection, 4xx reply,
 * timeout — is a failure the breaker counts.
 */
export class SmtpMailer {
  private readonly transport: Transporter;

  constructor(
    private readonly settings: DeliverySettings,
    private readonly pipeline: DependencyPipeline,
  ) {
    const timeoutMs = settings.policy.timeoutMs;
    this.transport = nodemailer.createTransport({
      host: settings.smtp.host,
      port: settings.smtp.port,
      secure: false,
      // The local sink offers no TLS; a real relay would be configured with STARTTLS required.
      ignoreTLS: true,
      // nodemailer takes no AbortSignal: its own timeouts close a connection the pipeline gave up on.
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
  }

  /** Resolves with the server's final reply (`250 …`); throws SmtpSendError around the pipeline's error. */
  async send(email: OutgoingEmail): Promise<string> {
    let conversations = 0;
    try {
      return await this.pipeline.execute(() => this.converse(email, () => (conversations += 1)));
    } catch (error) {
      throw new SmtpSendError(error, conversations);
    }
  }

  /** One SMTP conversation: connect, greet, send, quit. */
  private async converse(email: OutgoingEmail, started: () => void): Promise<string> {
    started();
    try {
      const info = (await this.transport.sendMail({
        from: this.settings.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId,
      })) as { response: string };
      return info.response;
    } catch (error) {
      const code = (error as { responseCode?: unknown }).responseCode;
      if (typeof code === 'number' && code >= 500 && code < 600) {
        throw new DependencyClientError(code, `the SMTP server refused the message: ${(error as Error).message}`);
      }
      throw error;
    }
  }

  close(): void {
    this.transport.close();
  }
}
