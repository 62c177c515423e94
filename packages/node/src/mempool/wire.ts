/**
 * The messages between the signature pool and its workers. A batch travels as one transferred
 * ArrayBuffer (no copy, no structured cloning of objects): a u32 count, then per task three u32
 * lengths (message, tagged public key, tagged signature), then all the bytes in that order.
 * Verdicts come back as one byte per task (1 valid, 0 not), also transferred.
 */

/** What one signature check needs, as bytes. */
export interface EncodedTask {
  readonly message: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
}

export interface BatchRequest {
  readonly id: number;
  readonly buffer: ArrayBuffer;
}

export interface BatchReply {
  readonly id: number;
  readonly verdicts: Uint8Array;
}

const FIELDS = 3;

export function encodeBatch(tasks: readonly EncodedTask[]): ArrayBuffer {
  const headerBytes = 4 * (1 + FIELDS * tasks.length);
  let total = headerBytes;
  for (const task of tasks) total += task.message.length + task.publicKey.length + task.signature.length;
  const buffer = new ArrayBuffer(total);
  const header = new DataView(buffer, 0, headerBytes);
  const body = new Uint8Array(buffer);
  header.setUint32(0, tasks.length, true);
  let offset = headerBytes;
  tasks.forEach((task, index) => {
    const fields = [task.message, task.publicKey, task.signature];
    fields.forEach((bytes, field) => {
      header.setUint32(4 * (1 + FIELDS * index + field), bytes.length, true);
      body.set(bytes, offset);
      offset += bytes.length;
    });
  });
  return buffer;
}

/** The tasks of a batch, as views into its buffer (no copies). */
export function decodeBatch(buffer: ArrayBuffer): EncodedTask[] {
  const view = new DataView(buffer);
  const count = view.getUint32(0, true);
  const headerBytes = 4 * (1 + FIELDS * count);
  if (headerBytes > buffer.byteLength) throw new RangeError(`a batch of ${count} tasks needs ${headerBytes} header bytes, got ${buffer.byteLength}`);
  const tasks: EncodedTask[] = [];
  let offset = headerBytes;
  const take = (index: number, field: number): Uint8Array => {
    const length = view.getUint32(4 * (1 + FIELDS * index + field), true);
    if (offset + length > buffer.byteLength) throw new RangeError('a batch field runs past the end of its buffer');
    const bytes = new Uint8Array(buffer, offset, length);
    offset += length;
    return bytes;
  };
  for (let index = 0; index < count; index++) {
    tasks.push({ message: take(index, 0), publicKey: take(index, 1), signature: take(index, 2) });
  }
  return tasks;
}
