import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** A mistake on the command line; its message is the one line a person reads. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Every command line answers --help (and -h) with its usage. */
const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

type StrictConfig<O extends ParseArgsOptionsConfig, P extends boolean> = {
  args: string[];
  options: O & typeof HELP_OPTION;
  allowPositionals: P;
  strict: true;
};

/** What `node:util` parseArgs returns for the options (and --help) of a command line. */
export type ParsedCommandLine<O extends ParseArgsOptionsConfig, P extends boolean> = ReturnType<typeof parseArgs<StrictConfig<O, P>>>;

export interface CommandLineDefinition<O extends ParseArgsOptionsConfig, P extends boolean, T> {
  /** How a person runs the command, up to where its arguments begin: `npm run chaos --`. */
  invocation: string;
  /** The --help text: the synopsis, one line per option with its default, and examples. */
  usage: string;
  options: O;
  allowPositionals: P;
  /** Turns the parsed values into what the command runs with; throws UsageError for a value it refuses. */
  interpret(parsed: ParsedCommandLine<O, P>): T;
}

/**
 * One command's command line, read strictly: an unknown option, a missing value or a stray argument
 * is refused in one line that names it and points at --help, never with parseArgs' stack trace.
 */
export class CommandLine<O extends ParseArgsOptionsConfig, P extends boolean, T> {
  constructor(private readonly definition: CommandLineDefinition<O, P, T>) {}

  get usage(): string {
    return this.definition.usage;
  }

  /** What the command runs with, or `'help'` when --help asks for the usage; throws UsageError naming the mistake. */
  parse(argv: readonly string[]): T | 'help' {
    const { options, allowPositionals, interpret } = this.definition;
    let parsed: ParsedCommandLine<O, P>;
    try {
      parsed = parseArgs<StrictConfig<O, P>>({ args: [...argv], options: { ...options, ...HELP_OPTION }, allowPositionals, strict: true });
    } catch (error) {
      if (!isParseError(error)) throw error;
      throw new UsageError(describeParseError(error as Error));
    }
    if ((parsed.values as { help?: boolean }).help) return 'help';
    return interpret(parsed);
  }

  /**
   * For the command's entry point: prints the usage and exits 0 on --help, prints one line and
   * exits 2 on a mistake, and otherwise returns what the command runs with.
   */
  read(argv: readonly string[] = process.argv.slice(2)): T {
    let result: T | 'help';
    try {
      result = this.parse(argv);
    } catch (error) {
      if (error instanceof UsageError) this.refuse(error.message);
      throw error;
    }
    if (result === 'help') {
      console.log(this.definition.usage);
      process.exit(0);
    }
    return result;
  }

  /** Refuses the command line for a reason found after reading it: one line on stderr, exit code 2. */
  refuse(message: string): never {
    console.error(`${message} — see \`${this.definition.invocation} --help\``);
    process.exit(2);
  }
}

export function defineCommandLine<O extends ParseArgsOptionsConfig, P extends boolean, T>(
  definition: CommandLineDefinition<O, P, T>,
): CommandLine<O, P, T> {
  return new CommandLine(definition);
}

/** parseArgs' messages, in one short line each (its own advice about `--` misleads under `npm run x --`). */
export function describeParseError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error.message;
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${quoted}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument "${quoted}"`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (message.includes('does not take an argument')) return `${quoted} takes no value`;
    return `${quoted.replace(/ <value>$/, '')} needs a value`;
  }
  return message.split('\n')[0] ?? message;
}

function isParseError(error: unknown): boolean {
  return String((error as NodeJS.ErrnoException | undefined)?.code).startsWith('ERR_PARSE_ARGS');
}
