/** Remote output kept up to a limit, so a host printing without end cannot exhaust memory. */

/** The default limit per stream: 1 MiB. */
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

/** The marker appended where output was cut. */
export function truncationMarker(limit: number): string {
  return `…[output truncated after ${limit} bytes]`;
}

/** Collects the first `limit` bytes of a stream and counts the rest. */
export class CappedOutput {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  /** Every byte received, kept or not. */
  total = 0;

  constructor(readonly limit: number = DEFAULT_MAX_OUTPUT_BYTES) {
    if (!Number.isSafeInteger(limit) || limit < 0)
      throw new RangeError('the output limit must be a whole number of bytes');
  }

  push(data: Buffer): void {
    this.total += data.length;
    const room = this.limit - this.kept;
    if (room <= 0) return;
    const part = data.length <= room ? data : data.subarray(0, room);
    // Copy a slice so the rest of a large chunk can be garbage-collected.
    this.chunks.push(part === data ? data : Buffer.from(part));
    this.kept += part.length;
  }

  get truncated(): boolean {
    return this.total > this.limit;
  }

  /** The output as text: invalid UTF-8 (binary) becomes U+FFFD; the marker shows a cut. */
  text(): string {
    const body = Buffer.concat(this.chunks, this.kept).toString('utf8');
    return this.truncated ? body + truncationMarker(this.limit) : body;
  }
}
