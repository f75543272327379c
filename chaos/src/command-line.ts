// `npm run chaos`'s command line, apart from the run: tools/run-with-infrastructure.mjs reads it
// before bringing the infrastructure up, so --help and a mistyped option are answered at once.
import { UsageError, defineCommandLine } from '@faultline/shared/command-line';

/** The parts a run takes, in order; each profile in chaos-profile.ts has one of each. */
export const CHAOS_PART_NAMES = ['bad-input', 'kill-and-recover'] as const;
export type ChaosPartName = (typeof CHAOS_PART_NAMES)[number];

export const commandLine = defineCommandLine({
  invocation: 'npm run chaos --',
  usage: `usage: npm run chaos -- [--short] [--only <part>]

Crashes every part of the running system under load, feeds every API bad input, and prints each
invariant with the counts behind it; exits 1 when one does not hold. npm run chaos brings the
infrastructure up and builds first; node chaos/dist/cli.js runs on what is already up.

options:
  --short          the short profile npm test runs (about 6 minutes); default: the full one (about 20)
  --only <part>    one part only: ${CHAOS_PART_NAMES.join(' or ')}; default: both
  -h, --help       print this text

environment:
  BAD_INPUT_SEED=<seed>   replay a bad-input run with the seed it printed

examples:
  npm run chaos                                   # both parts, full profile
  npm run chaos -- --short                        # the profile npm test runs
  npm run chaos -- --only kill-and-recover        # one part
  BAD_INPUT_SEED=<seed it printed> npm run chaos -- --only bad-input   # replay a fuzz failure exactly (add --short for the short profile)`,
  options: { short: { type: 'boolean', default: false }, only: { type: 'string' } },
  allowPositionals: false,
  interpret: ({ values }) => {
    const only = values.only;
    if (only !== undefined && !CHAOS_PART_NAMES.some((name) => name === only)) {
      throw new UsageError(`unknown part "${only}": one of ${CHAOS_PART_NAMES.join(', ')}`);
    }
    return { profileName: values.short ? ('short' as const) : ('full' as const), only: only as ChaosPartName | undefined };
  },
});
