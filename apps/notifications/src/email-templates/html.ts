/** Markup that is already safe: built by `html` from escaped values, so it is not escaped again. */
export class SafeHtml {
  constructor(readonly markup: string) {}

  toString(): string {
    return this.markup;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML element or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}

type Interpolation = string | number | SafeHtml | readonly Interpolation[];

/**
 * A tagged template for e-mail bodies: every interpolated value is escaped unless it is SafeHtml
 * (a fragment this tag built), so text from an event — a rejection reason, a SKU — cannot inject
 * markup into a customer's mail.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  const render = (value: Interpolation): string =>
    value instanceof SafeHtml ? value.markup : Array.isArray(value) ? value.map(render).join('') : escapeHtml(String(value));
  return new SafeHtml(strings.reduce((markup, literal, index) => markup + render(values[index - 1] ?? '') + literal));
}
