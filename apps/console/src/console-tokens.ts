/** The console's pino logger, provided by ConsoleModule. */
export const CONSOLE_LOGGER = Symbol('CONSOLE_LOGGER');
/** The console's settings, provided by ConsoleModule. */
export const CONSOLE_SETTINGS = Symbol('CONSOLE_SETTINGS');
