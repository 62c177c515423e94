/** Code units per `String.fromCharCode` call: well under any engine's argument limit. */
const CHUNK = 4096;

/**
 * The bytes as a latin1 string, one character per byte: a compact Map or Set key that V8 hashes
 * once. `apply` over the typed array reads it by index; spreading it instead would walk the
 * array's iterator, an allocated result object per byte (a busy peer's largest garbage source
 * when the signature cache did that). Portable: no Buffer, so it serves browsers too.
 */
export function latin1Of(bytes: Uint8Array): string {
  if (bytes.length <= CHUNK) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  let text = '';
  for (let start = 0; start < bytes.length; start += CHUNK) text += String.fromCharCode.apply(null, bytes.subarray(start, start + CHUNK) as unknown as number[]);
  return text;
}
