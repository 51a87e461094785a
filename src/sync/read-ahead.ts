/**
 * Wraps an async iterable so the NEXT items are requested as soon as the current one is handed out: the
 * source fetches pages n+1..n+depth while the engine writes page n. With the default depth of 1, exactly
 * one item is read ahead; in any case at most `depth` items wait here besides the one handed out, so
 * memory stays bounded and no stream is collected whole. A read-ahead failure surfaces when the consumer
 * asks for that item, i.e. only after every earlier page was handled (and checkpointed).
 */
export async function* readAhead<T>(
  iterable: AsyncIterable<T>,
  depth = 1,
): AsyncGenerator<T, void, undefined> {
  if (!Number.isInteger(depth) || depth < 1) throw new RangeError('readAhead depth must be an integer ≥ 1');
  const iterator = iterable[Symbol.asyncIterator]();
  const pending: Promise<IteratorResult<T>>[] = [];
  const request = (): void => {
    const next = iterator.next();
    // Observed here so an early failure is not "unhandled"; it is re-raised by the `await` below.
    next.catch(() => {});
    pending.push(next);
  };
  let finished = false;
  request();
  try {
    for (;;) {
      const head = pending.shift();
      if (head === undefined) return;
      const result = await head;
      if (result.done) {
        finished = true;
        return;
      }
      // Requests queue on the source one after another (an async generator serves them in order).
      while (pending.length < depth) request();
      yield result.value;
    }
  } finally {
    if (!finished) {
      // The consumer stopped early (error, abort): let the in-flight reads settle, then close the source.
      for (const next of pending) {
        await next.then(
          () => undefined,
          () => undefined,
        );
      }
      await iterator.return?.().catch(() => undefined);
    }
  }
}
