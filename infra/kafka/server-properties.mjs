// Fills infra/kafka/server.properties.template: used natively and by the compose generator.
import { readFileSync } from 'node:fs';

const templatePath = new URL('./server.properties.template', import.meta.url);

/**
 * @param {Record<string, string>} values faultline.env values plus BIND_HOST and LOG_DIRS
 * @returns {string} the server.properties text
 */
export function renderKafkaServerProperties(values) {
  const fill = (line) =>
    line.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name) => {
      if (values[name] === undefined) throw new Error(`server.properties.template uses \${${name}}, which has no value`);
      return values[name];
    });
  return readFileSync(templatePath, 'utf8')
    .split('\n')
    .map((line) => (line.trimStart().startsWith('#') ? line : fill(line)))
    .join('\n');
}

/** The key/value pairs of a properties text, in order, comments dropped. */
export function propertyEntries(text) {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)];
    });
}
