import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { ConsoleSettings } from '../config.js';
import { CONSOLE_SETTINGS } from '../console-tokens.js';

/** Temporal's frontend answers a connection within this, or the panel says it did not. */
const CONNECT_TIMEOUT_MS = 3_000;

/** The console's one connection to Temporal, opened on first use and again after a failure; the timeline and the billing runs read through it. */
@Injectable()
export class ConsoleTemporal implements OnApplicationShutdown {
  private connecting?: Promise<Client>;

  constructor(@Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings) {}

  client(): Promise<Client> {
    this.connecting ??= Connection.connect({ address: this.settings.temporal.address, connectTimeout: CONNECT_TIMEOUT_MS }).then(
      (connection) => new Client({ connection, namespace: this.settings.temporal.namespace }),
      (error: Error) => {
        this.connecting = undefined;
        throw new Error(`Temporal at ${this.settings.temporal.address} did not answer: ${error.message}`);
      },
    );
    return this.connecting;
  }

  async onApplicationShutdown(): Promise<void> {
    const client = await this.connecting?.catch(() => undefined);
    await client?.connection.close();
  }
}
