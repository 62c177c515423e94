/**
 * Human-readable rendering of a query answer: objects as aligned `name value` lines, nested
 * values indented, lists numbered. Scripts use `--json`, which prints the answer unchanged.
 */
export function renderHuman(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return `${indent}(none)\n`;
    return value.map((item, index) => (isScalar(item) ? `${indent}${index}  ${scalar(item)}\n` : `${indent}[${index}]\n${renderHuman(item, `${indent}  `)}`)).join('');
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    // JD Chain wraps addresses as {"value": base58}: show the address itself.
    if (entries.length === 1 && entries[0]?.[0] === 'value' && isScalar(entries[0][1])) return `${indent}${scalar(entries[0][1])}\n`;
    const width = Math.max(0, ...entries.map(([name]) => name.length));
    return entries
      .map(([name, item]) => {
        // Text of several lines (a contract's code) goes under its name, each line indented.
        if (typeof item === 'string' && item.includes('\n')) return `${indent}${name}\n${indentLines(item, `${indent}  `)}`;
        if (isScalar(item)) return `${indent}${name.padEnd(width)}  ${scalar(item)}\n`;
        const inner = renderHuman(item, `${indent}  `);
        const single = !inner.slice(0, -1).includes('\n') && !Array.isArray(item);
        return single ? `${indent}${name.padEnd(width)}  ${inner.trim()}\n` : `${indent}${name}\n${inner}`;
      })
      .join('');
  }
  return `${indent}${scalar(value)}\n`;
}

function indentLines(text: string, indent: string): string {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => `${indent}${line}\n`)
    .join('');
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

function scalar(value: unknown): string {
  return value === null ? 'null' : String(value);
}
