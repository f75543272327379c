// The Prometheus configuration of the topology: scrape every service's /metrics and evaluate
// infra/prometheus/alerts.yml (article 3: a dead-letter queue nobody watches is a place where
// messages go to be forgotten). Rendered once here for both runs: natively the services are on
// loopback, in compose Prometheus reaches them on the host through host.docker.internal.
import { toYaml } from '../compose/yaml.mjs';

/**
 * Scrape and evaluate every 5 s: a local sandbox, where a scenario wants to see an alert go pending
 * within seconds rather than the minute a production default would take.
 */
export const prometheusIntervals = Object.freeze({ scrape: '5s', evaluation: '5s' });

/**
 * @param {{ services: { name: string, http: { port: string } }[] }} topology
 * @param {{ serviceHost: string, rulesPath: string }} placement
 */
export function renderPrometheusConfig(topology, { serviceHost, rulesPath }) {
  const document = {
    global: {
      scrape_interval: prometheusIntervals.scrape,
      evaluation_interval: prometheusIntervals.evaluation,
    },
    rule_files: [rulesPath],
    scrape_configs: topology.services.map((service) => ({
      job_name: service.name,
      metrics_path: '/metrics',
      // The services label their own metrics with `service`; the job name says which target it was.
      static_configs: [{ targets: [`${serviceHost}:${service.http.port}`] }],
    })),
  };
  return `# generated from infra/topology.mjs by infra/prometheus/scrape-config.mjs; do not edit by hand\n${toYaml(document)}`;
}
