// `npm run bench`'s command line, apart from the run: tools/run-with-infrastructure.mjs reads it
// before bringing the infrastructure up, so --help and a mistyped option are answered at once.
import { UsageError, defineCommandLine } from '@faultline/shared/command-line';
import { BENCHMARKS } from './benchmarks.js';

const names = BENCHMARKS.map((benchmark) => benchmark.name);

export const commandLine = defineCommandLine({
  invocation: 'npm run bench --',
  usage: `usage: npm run bench -- [--quick] [--only <name>[,<name>…]]

Runs each benchmark in turn on the local PostgreSQL and Kafka and prints every figure against its
baseline and target. Only a full run of every benchmark is recorded (bench/results/ and
docs/performance.md). npm run bench brings the infrastructure up and builds first;
node bench/dist/cli.js runs on what is already up.

options:
  --quick                    a short run for development (about 2 minutes); default: the full run (about 6)
  --only <name>[,<name>…]    these benchmarks only; default: every benchmark
  -h, --help                 print this text

benchmarks: ${names.join(', ')}

examples:
  npm run bench                                              # infra up, build, run everything
  node bench/dist/cli.js --quick                             # the same in about 2 minutes, for development
  node bench/dist/cli.js --only outbox-relay,relay-scaling   # some benchmarks only`,
  options: { only: { type: 'string' }, quick: { type: 'boolean', default: false } },
  allowPositionals: false,
  interpret: ({ values }) => {
    const only = values.only?.split(',').filter(Boolean);
    const unknown = only?.filter((name) => !names.includes(name)) ?? [];
    if (unknown.length > 0) throw new UsageError(`unknown benchmark ${unknown.join(', ')}; known: ${names.join(', ')}`);
    return {
      only,
      quick: values.quick ?? false,
      selected: BENCHMARKS.filter((benchmark) => !only || only.includes(benchmark.name)),
    };
  },
});
