import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError, defineCommandLine } from './command-line.js';

const commandLine = defineCommandLine({
  invocation: 'npm run probe --',
  usage: 'usage: npm run probe -- [--count <n>] [--dry-run] <name>',
  options: { count: { type: 'string', default: '1' }, 'dry-run': { type: 'boolean', default: false } },
  allowPositionals: true,
  interpret: ({ values, positionals }) => {
    const count = Number(values.count);
    if (!(count > 0)) throw new UsageError(`--count must be a positive number, not "${values.count}"`);
    return { count, dryRun: values['dry-run'], names: positionals };
  },
});

describe('command lines', () => {
  it('hands the interpreted options and positionals to the command, defaults filled in', () => {
    assert.deepEqual(commandLine.parse(['a', '--dry-run']), { count: 1, dryRun: true, names: ['a'] });
    assert.deepEqual(commandLine.parse(['--count', '3', 'a', 'b']), { count: 3, dryRun: false, names: ['a', 'b'] });
  });

  it('answers --help and -h with the usage instead of running', () => {
    assert.equal(commandLine.parse(['--help']), 'help');
    assert.equal(commandLine.parse(['a', '-h']), 'help');
    assert.equal(commandLine.usage, 'usage: npm run probe -- [--count <n>] [--dry-run] <name>');
  });

  it('names an unknown option in one line, without parseArgs advice about -- that misleads under npm run', () => {
    assert.throws(() => commandLine.parse(['--no-such-option']), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.equal(error.message, 'unknown option --no-such-option');
      return true;
    });
  });

  it('names an option given without its value, and a switch given a value', () => {
    assert.throws(() => commandLine.parse(['--count']), { name: 'UsageError', message: '--count needs a value' });
    assert.throws(() => commandLine.parse(['--dry-run=yes']), { name: 'UsageError', message: '--dry-run takes no value' });
  });

  it("passes the command's own refusal of a value through as a UsageError", () => {
    assert.throws(() => commandLine.parse(['--count', 'many']), { name: 'UsageError', message: '--count must be a positive number, not "many"' });
  });

  it('refuses an argument when the command takes none', () => {
    const noArguments = defineCommandLine({ invocation: 'npm stop --', usage: 'usage: npm stop', options: {}, allowPositionals: false, interpret: () => 'run' });
    assert.throws(() => noArguments.parse(['now']), { name: 'UsageError', message: 'unexpected argument "now"' });
    assert.equal(noArguments.parse([]), 'run');
  });
});
