import type { ServerResponse } from 'node:http';
import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

interface HeldRequest {
  response: ServerResponse;
  /** Ends the hold without handling the request: the app is shutting down. */
  abandon: () => void;
}

/** How a latency hold ended: the request goes on, or is dropped because the app is closing. */
export type DelayOutcome = 'elapsed' | 'shutting-down';

/**
 * The requests a fault is holding open (hang, latency). A server closes only once its connections
 * have ended, and a hung request never ends on its own: without this, SIGTERM would wait for
 * clients that wait for us, until the shutdown deadline kills the process with exit code 1. So,
 * before the HTTP server closes, every held connection is cut.
 */
@Injectable()
export class HeldRequests implements BeforeApplicationShutdown {
  private readonly held = new Set<HeldRequest>();
  private closing = false;

  /** How many requests are held right now (tests see that a hung request is released). */
  get size(): number {
    return this.held.size;
  }

  /**
   * Keeps the request open and never answers it. Its resources are released when the client goes
   * away (its timeout, or its process exiting) or the app shuts down — not when the fault is cleared:
   * a request that hung stays hung, as it would at a provider whose worker is stuck.
   */
  hang(response: ServerResponse): void {
    if (this.closing) {
      response.socket?.destroy();
      return;
    }
    // The client may have given up already (during a latency fault): nothing is left to hold.
    if (!response.socket || response.socket.destroyed) return;
    const hold: HeldRequest = { response, abandon: () => undefined };
    this.held.add(hold);
    response.once('close', () => this.held.delete(hold));
  }

  /**
   * Waits `ms`, then lets the request go on — also when the client has given up meanwhile, as a
   * real server does: that is how a client timeout turns into an unknown outcome (article 6).
   */
  delay(response: ServerResponse, ms: number): Promise<DelayOutcome> {
    if (this.closing) return Promise.resolve('shutting-down');
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.held.delete(hold);
        resolve('elapsed');
      }, ms);
      const hold: HeldRequest = {
        response,
        abandon: () => {
          clearTimeout(timer);
          resolve('shutting-down');
        },
      };
      this.held.add(hold);
    });
  }

  beforeApplicationShutdown(): void {
    this.closing = true;
    for (const hold of this.held) {
      hold.abandon();
      hold.response.socket?.destroy();
    }
    this.held.clear();
  }
}
