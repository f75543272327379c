// One line per provisioning step, aligned on the component name.
const nameWidth = 22;

export function seconds(startedAt) {
  return `${((performance.now() - startedAt) / 1000).toFixed(1)} s`;
}

/** `✓ postgres-primary      ready on 127.0.0.1:15432 (0.8 s)` */
export function reportDone(component, text, startedAt) {
  const timing = startedAt === undefined ? '' : ` (${seconds(startedAt)})`;
  console.log(`✓ ${component.padEnd(nameWidth)}${text}${timing}`);
}

/** `… kafka                 resolving jars with Maven (first run only)` */
export function reportStep(component, text) {
  console.log(`… ${component.padEnd(nameWidth)}${text}`);
}

export function reportFailure(component, text) {
  console.error(component ? `✗ ${component.padEnd(nameWidth)}${text}` : `✗ ${text}`);
}
