import type { LinkView, TopologyView } from '../../src/console-api.js';

/** The parts drawn on the lower row, left to right; the services go on the upper row in the topology's order. */
const DEPENDENCIES = ['postgres-primary', 'postgres-replica', 'kafka', 'temporal', 'maildev'];
/** Links whose name does not start with the service that uses them. */
const LINK_CLIENTS: Record<string, string[]> = { kafka: ['orders', 'billing', 'notifications'], smtp: ['notifications'] };
/**
 * Links whose upstream is not the address the console probes the part at (Kafka's listener for
 * the services, MailDev's SMTP port rather than its web API).
 */
const LINK_TARGETS: Record<string, string> = { kafka: 'kafka', smtp: 'maildev' };
/** Calls that go through no Toxiproxy link: drawn grey, with no switch. */
const DIRECT_CALLS: [string, string][] = [
  ['orders', 'temporal'],
  ['billing', 'temporal'],
  ['orders', 'billing'],
  ['billing', 'payment-provider'],
];

const WIDTH = 1_000;
const BOX = { width: 150, height: 46 };
const SERVICE_Y = 20;
const DEPENDENCY_Y = 250;

const COLOURS = {
  node: { ready: '#2f9e44', 'not-ready': '#e8590c', down: '#c92a2a', up: '#2f9e44' },
  edge: { open: '#2f9e44', slowed: '#e8590c', cut: '#c92a2a', direct: '#adb5bd' },
} as const;

/** x of the centre of the `index`-th of `count` boxes spread over the width. */
const centre = (index: number, count: number) => ((index + 0.5) * WIDTH) / count;

interface Edge {
  id: string;
  from: string;
  to: string;
  state: LinkView['state'] | 'direct';
  label: string;
}

/** The service a link serves: named by the link's prefix (`billing-postgres`), or by LINK_CLIENTS. */
function clientsOf(link: LinkView, services: string[]): string[] {
  return LINK_CLIENTS[link.name] ?? services.filter((service) => link.name.startsWith(`${service}-`)).slice(0, 1);
}

/**
 * The system as a diagram: the services above, their dependencies below, a line for each
 * Toxiproxy link coloured by its state (green open, orange slowed, red and dashed cut) and grey lines
 * for the calls no link carries; each box coloured by its readiness.
 */
export function TopologyDiagram({ topology }: { topology: TopologyView }) {
  const services = topology.services.map((service) => service.name);
  const parts = DEPENDENCIES.map((name) => topology.infrastructure.find((part) => part.name === name)).filter((part) => part !== undefined);
  const position = new Map<string, { x: number; y: number }>([
    ...services.map((name, index) => [name, { x: centre(index, services.length), y: SERVICE_Y }] as const),
    ...parts.map((part, index) => [part.name, { x: centre(index, parts.length), y: DEPENDENCY_Y }] as const),
  ]);
  const edges: Edge[] = [
    ...topology.links.flatMap((link) => {
      const target = topology.infrastructure.find((part) => part.address === link.upstream)?.name ?? LINK_TARGETS[link.name];
      if (!target || !position.has(target)) return [];
      return clientsOf(link, services).map((client) => ({ id: `${link.name}-${client}`, from: client, to: target, state: link.state, label: link.name }));
    }),
    ...DIRECT_CALLS.filter(([from, to]) => position.has(from) && position.has(to)).map(([from, to]) => ({ id: `${from}-${to}`, from, to, state: 'direct' as const, label: `${from} → ${to}` })),
  ];
  const topics = topology.eventFlow.reading;
  return (
    <svg className="diagram" viewBox={`0 0 ${WIDTH} ${DEPENDENCY_Y + BOX.height + 50}`} role="img" aria-label="The services, their dependencies and the links between them" data-testid="topology-diagram">
      {edges.map((edge) => {
        const from = position.get(edge.from);
        const to = position.get(edge.to);
        if (!from || !to) return null;
        const sameRow = from.y === to.y;
        return (
          <path
            key={edge.id}
            data-testid={`edge-${edge.id}`}
            data-state={edge.state}
            d={
              sameRow
                ? `M ${from.x} ${from.y + BOX.height} Q ${(from.x + to.x) / 2} ${from.y + BOX.height + 60} ${to.x} ${to.y + BOX.height}`
                : `M ${from.x} ${from.y + BOX.height} L ${to.x} ${to.y}`
            }
            fill="none"
            stroke={COLOURS.edge[edge.state]}
            strokeWidth={edge.state === 'direct' ? 1.5 : 2.5}
            strokeDasharray={edge.state === 'cut' ? '6 5' : undefined}
          >
            <title>
              {edge.label}: {edge.state === 'direct' ? 'a direct call, no Toxiproxy link' : edge.state}
            </title>
          </path>
        );
      })}
      {[...topology.services.map((service) => ({ name: service.name, state: service.state as keyof typeof COLOURS.node })), ...parts.map((part) => ({ name: part.name, state: part.state as keyof typeof COLOURS.node }))].map(
        (node) => {
          const at = position.get(node.name);
          if (!at) return null;
          return (
            <g key={node.name} data-testid={`node-${node.name}`} data-state={node.state}>
              <rect x={at.x - BOX.width / 2} y={at.y} width={BOX.width} height={BOX.height} rx={6} fill="#fff" stroke={COLOURS.node[node.state]} strokeWidth={3} />
              <text x={at.x} y={at.y + 20} textAnchor="middle" fontSize={14} fontWeight={600}>
                {node.name}
              </text>
              <text x={at.x} y={at.y + 37} textAnchor="middle" fontSize={11} fill="#5c6778">
                {node.state}
              </text>
            </g>
          );
        },
      )}
      {position.has('kafka') && topics.length > 0 && (
        <text x={position.get('kafka')?.x} y={DEPENDENCY_Y + BOX.height + 18} textAnchor="middle" fontSize={11} fill="#5c6778">
          {topics.join(' · ')}
        </text>
      )}
    </svg>
  );
}
