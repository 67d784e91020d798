import autocannon from 'autocannon';

export interface Load {
  url: string;
  connections: number;
  seconds: number;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
}

export interface LoadResult {
  'req/s': number;
  'p50 ms': number;
  'p99 ms': number;
  'non-2xx': number;
  errors: number;
}

const summary = (result: autocannon.Result): LoadResult => ({
  'req/s': Math.round(result.requests.average),
  'p50 ms': result.latency.p50,
  'p99 ms': result.latency.p99,
  'non-2xx': result.non2xx,
  errors: result.errors + result.timeouts,
});

/** A fresh server's first seconds run code not yet optimized: they are sent, not counted. */
const WARM_UP_SECONDS = 2;

/** autocannon for `seconds` at `connections`, after a warm-up at the same load. */
export async function runLoad({ url, connections, seconds, method = 'GET', body, headers }: Load): Promise<LoadResult> {
  await autocannon({ url, connections, duration: WARM_UP_SECONDS, method, body, headers });
  return summary(await autocannon({ url, connections, duration: seconds, method, body, headers }));
}

/** autocannon for as long as `during` runs (at least a second), and what `during` returned. */
export async function runLoadDuring<T>(load: Omit<Load, 'seconds'>, during: () => Promise<T>): Promise<[LoadResult, T]> {
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon({ url: load.url, connections: load.connections, duration: 3600, method: load.method ?? 'GET', headers: load.headers }, (error, result) =>
      error === null || error === undefined ? resolve(result) : reject(error),
    );
  });
  const [value] = await Promise.all([during(), new Promise((resolve) => setTimeout(resolve, 1_000))]);
  instance?.stop();
  return [summary(await finished), value];
}
