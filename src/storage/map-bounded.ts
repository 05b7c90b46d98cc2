// Maps over many records with a few reads in flight at a time: one after another is slow with
// thousands of files, all at once would open thousands of descriptors (or flood redis).

/** Default number of calls in flight. */
export const READ_CONCURRENCY = 32;

/** `items.map(fn)` with at most `limit` calls running at once; results keep the input order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  limit = READ_CONCURRENCY,
): Promise<R[]> {
  const out = Array.from({ length: items.length }) as R[];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
