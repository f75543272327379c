import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ServiceIdentity } from '../config/index.js';

/**
 * The process's Prometheus registry: Node's default metrics (event loop lag, GC, heap, handles) and
 * the HTTP request duration histogram, all labelled with the service name so one Prometheus can
 * scrape three services and still tell them apart. Mechanisms add their own metrics here.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(service: ServiceIdentity) {
    this.registry.setDefaultLabels({ service: service.name });
    collectDefaultMetrics({ register: this.registry });
    this.httpRequestDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving an HTTP request to finishing its response, by route template',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
  }
}
