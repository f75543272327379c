// An expected failure: the CLI prints it as a few plain lines (component, cause, log tail), no stack.
export class ProvisioningError extends Error {
  /**
   * @param {string} message what went wrong, in one sentence
   * @param {{ component?: string, logPath?: string, hint?: string }} [details]
   */
  constructor(message, { component, logPath, hint } = {}) {
    super(message);
    this.name = 'ProvisioningError';
    this.component = component;
    this.logPath = logPath;
    this.hint = hint;
  }
}
