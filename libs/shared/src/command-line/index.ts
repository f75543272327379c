export { CommandLine, UsageError, defineCommandLine, describeParseError, type CommandLineDefinition, type ParsedCommandLine } from './command-line.js';
