// A small YAML writer for the compose file: block mappings and sequences, literal blocks for
// multi-line strings, flow sequences for short lists of scalars, double-quoted strings where a plain
// scalar could be misread (numbers, booleans, `:`/`#`/`{` and friends).

const plainString = /^[A-Za-z_/][A-Za-z0-9_./@,+=-]*$/;
const ambiguous = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

function scalar(value) {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  const text = String(value);
  return plainString.test(text) && !ambiguous.test(text) ? text : JSON.stringify(text);
}

const key = (name) => (plainString.test(name) && !ambiguous.test(name) ? name : JSON.stringify(name));
const isScalar = (value) => value === null || typeof value !== 'object';

function literalBlock(text, indent) {
  const pad = ' '.repeat(indent);
  const chomping = text.endsWith('\n') ? '' : '-';
  const lines = text.replace(/\n$/, '').split('\n');
  return `|${chomping}\n${lines.map((line) => (line ? pad + line : '')).join('\n')}`;
}

function value(node, indent) {
  if (typeof node === 'string' && node.includes('\n')) return ` ${literalBlock(node, indent + 2)}`;
  if (isScalar(node)) return ` ${scalar(node)}`;
  if (Array.isArray(node)) {
    if (node.length === 0) return ' []';
    const flow = `[${node.map(scalar).join(', ')}]`;
    if (node.every((item) => isScalar(item) && !String(item).includes('\n')) && flow.length + indent < 100) return ` ${flow}`;
    return `\n${block(node, indent + 2)}`;
  }
  if (Object.keys(node).length === 0) return ' {}';
  return `\n${block(node, indent + 2)}`;
}

function block(node, indent) {
  const pad = ' '.repeat(indent);
  if (Array.isArray(node)) {
    return node
      .map((item) => {
        if (isScalar(item) || typeof item === 'string') return `${pad}-${value(item, indent)}`;
        // A mapping inside a list: first key on the dash line, the rest aligned under it.
        const nested = block(item, indent + 2);
        return `${pad}- ${nested.slice(indent + 2)}`;
      })
      .join('\n');
  }
  return Object.entries(node)
    .map(([name, child]) => `${pad}${key(name)}:${value(child, indent)}`)
    .join('\n');
}

/** @param {Record<string, unknown>} document */
export function toYaml(document) {
  return `${block(document, 0)}\n`;
}
