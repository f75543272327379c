// The command lines of the tools npm runs (npm start, npm stop, npm test, npm run demo, sign-in):
// --help prints the usage and exits 0; an unknown option, a missing value or a stray argument is
// refused in one line that names it and points at --help, exit code 2, never parseArgs' stack
// trace. Plain Node, because these tools run before anything is built; the TypeScript command
// lines use the same rules from @faultline/shared/command-line.
import { parseArgs } from 'node:util';

/**
 * Reads `argv` strictly against `options` (plus -h/--help) and returns parseArgs' values and
 * positionals. `invocation` is how a person runs the tool up to its arguments (`npm start --`).
 */
export function readCommandLine({ invocation, usage, options = {}, allowPositionals = false }, argv = process.argv.slice(2)) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (error) {
    if (!String(error?.code).startsWith('ERR_PARSE_ARGS')) throw error;
    refuse(invocation, describeParseError(error));
  }
  if (parsed.values.help) {
    console.log(usage);
    process.exit(0);
  }
  return parsed;
}

/** Refuses a command line for a reason found after reading it: one line on stderr, exit code 2. */
export function refuse(invocation, message) {
  console.error(`${message} — see \`${invocation} --help\``);
  process.exit(2);
}

/** parseArgs' messages, in one short line each (its own advice about `--` misleads under `npm run x --`). */
export function describeParseError(error) {
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${quoted}`;
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument "${quoted}"`;
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (error.message.includes('does not take an argument')) return `${quoted} takes no value`;
    return `${quoted.replace(/ <value>$/, '')} needs a value`;
  }
  return error.message.split('\n')[0];
}
