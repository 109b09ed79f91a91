/**
 * Internal: strings joined into one flat string. V8 represents the result of `a + b` (and of a
 * template literal) as a tree of "cons" strings, 32 bytes per node, which stays as long as the
 * result does: for references, citations and endpoints, as long as the graph. `Array.prototype.join`
 * writes one flat string instead. Use it for strings the graph keeps.
 *
 * @param parts - The strings, in order.
 * @returns Their concatenation.
 */
export function joined(...parts: string[]): string {
  return parts.join('');
}
