/** Coalesces refetches: one runs at a time, and requests made meanwhile share one more run after it. */

/** Wrap a fetch so overlapping requests never run in parallel and the last request is always honoured. */
export function coalesced(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  const request = (): Promise<void> => {
    if (!running) {
      running = run().finally(() => {
        running = null;
      });
      return running;
    }
    // A change arrived while fetching: the data in flight may predate it, so fetch once more.
    queued ??= running
      .catch(() => {})
      .then(() => {
        queued = null;
        return request();
      });
    return queued;
  };
  return request;
}
