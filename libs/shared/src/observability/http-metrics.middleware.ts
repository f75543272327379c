import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceMetrics } from './service-metrics.js';

type RoutedRequest = IncomingMessage & { baseUrl?: string; route?: { path?: unknown } };

/**
 * Express middleware that times every request, including the ones rejected before any handler (a
 * malformed body, an unknown route). It must be mounted first, before the body parser. The route
 * label is the route template (`/orders/:id`), never the raw URL, so the number of series stays
 * bounded whatever clients send; requests that matched no route share the label `unmatched`.
 */
export function httpMetricsMiddleware(metrics: ServiceMetrics) {
  return (request: RoutedRequest, response: ServerResponse, next: () => void): void => {
    const stopTimer = metrics.httpRequestDuration.startTimer();
    response.once('close', () => {
      const template = request.route?.path;
      stopTimer({
        method: request.method ?? 'UNKNOWN',
        route: typeof template === 'string' ? `${request.baseUrl ?? ''}${template}` : 'unmatched',
        status: String(response.statusCode),
      });
    });
    next();
  };
}
