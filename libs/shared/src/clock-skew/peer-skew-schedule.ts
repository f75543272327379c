import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { PeerSkewMonitor } from './peer-skew-monitor.js';

/** Starts a service's PeerSkewMonitor once the app is up and stops it on shutdown. */
export class PeerSkewSchedule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly monitor: PeerSkewMonitor,
    private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.monitor.start(this.intervalMs);
  }

  onModuleDestroy(): void {
    this.monitor.stop();
  }
}
