/**
 * Wraps an async iterable so the NEXT item is requested as soon as the current one is handed out: the
 * source fetches page n+1 while the engine writes page n. Exactly one item is read ahead, so at most two
 * pages are in memory. A read-ahead failure surfaces when the consumer asks for that item, i.e. only
 * after the current page was handled (and checkpointed).
 */
export async function* readAhead<T>(iterable: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  const iterator = iterable[Symbol.asyncIterator]();
  let pending = iterator.next();
  let finished = false;
  try {
    for (;;) {
      const result = await pending;
      if (result.done) {
        finished = true;
        return;
      }
      pending = iterator.next();
      // Observed here so an early failure is not "unhandled"; it is re-raised by the `await` above.
      pending.catch(() => {});
      yield result.value;
    }
  } finally {
    if (!finished) {
      // The consumer stopped early (error, abort): let the in-flight read settle, then close the source.
      await pending.then(
        () => undefined,
        () => undefined,
      );
      await iterator.return?.().catch(() => undefined);
    }
  }
}
