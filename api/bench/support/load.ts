import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Load comes from wrk (Debian's package `wrk`): a C program that leaves the server the most of the
 * machine and measures latency in microseconds, where a p99 of 2 or 3 ms must not be rounded.
 */
const REPORT_SCRIPT = path.join(import.meta.dirname, 'wrk-report.lua');
const THREADS = 2;

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
  /** Answers with a status of 400 or more. */
  '4xx/5xx': number;
  /** Connections refused or reset, and requests unanswered within wrk's timeout. */
  errors: number;
}

interface WrkReport {
  requests: number;
  durationUs: number;
  p50Us: number;
  p99Us: number;
  errorStatuses: number;
  socketErrors: number;
}

const summary = (report: WrkReport): LoadResult => ({
  'req/s': Math.round(report.requests / (report.durationUs / 1e6)),
  'p50 ms': Number((report.p50Us / 1000).toFixed(2)),
  'p99 ms': Number((report.p99Us / 1000).toFixed(2)),
  '4xx/5xx': report.errorStatuses,
  errors: report.socketErrors,
});

/** wrk with `load`'s settings for `seconds`, or until `stop` is aborted (wrk stops on SIGINT and reports). */
function wrk({ url, connections, method = 'GET', body, headers = {} }: Omit<Load, 'seconds'>, seconds: number, stop?: AbortSignal): Promise<WrkReport> {
  const headerArgs = Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const args = ['-t', String(Math.min(THREADS, connections)), '-c', String(connections), '-d', `${seconds}s`, '--timeout', '10s', '-s', REPORT_SCRIPT, ...headerArgs, url];
  const child = spawn('wrk', args, { env: { ...process.env, BENCH_METHOD: method, BENCH_BODY: body ?? '' }, stdio: ['ignore', 'pipe', 'inherit'] });
  stop?.addEventListener('abort', () => child.kill('SIGINT'), { once: true });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error("wrk is not installed: the bench's load comes from it (apt-get install wrk)") : error),
    );
    child.once('close', (code) => {
      const report = output.trim().split('\n').at(-1) ?? '';
      if (code === 0 && report.startsWith('{')) resolve(JSON.parse(report) as WrkReport);
      else reject(new Error(`wrk ${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
}

/** A fresh server's first seconds run code not yet optimized: they are sent, not counted. */
const WARM_UP_SECONDS = 2;

/** Load for `seconds` at `connections`, after a warm-up at the same load. */
export async function runLoad(load: Load): Promise<LoadResult> {
  await wrk(load, WARM_UP_SECONDS);
  return summary(await wrk(load, load.seconds));
}

/** Load for as long as `during` runs (at least a second), and what `during` returned. */
export async function runLoadDuring<T>(load: Omit<Load, 'seconds'>, during: () => Promise<T>): Promise<[LoadResult, T]> {
  const stop = new AbortController();
  const report = wrk(load, 3600, stop.signal);
  try {
    const [value] = await Promise.all([during(), new Promise((resolve) => setTimeout(resolve, 1_000))]);
    stop.abort();
    return [summary(await report), value];
  } catch (error) {
    stop.abort();
    await report.catch(() => {});
    throw error;
  }
}
