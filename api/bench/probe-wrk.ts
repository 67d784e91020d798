import { execFileSync } from 'node:child_process';
import { createBenchDatabase, benchDirectory } from './support/databases.js';
import { runLoad } from './support/load.js';
import { startApi, startBareRoute } from './support/processes.js';
const { dir, remove } = benchDirectory();
const log = `${dir}/s.log`;
const wrk = (url: string) => {
  const out = execFileSync('wrk', ['-t2', '-c50', '-d5s', '--latency', '-H', 'Authorization: Token abcdef123456', url], { encoding: 'utf8' });
  const rps = out.match(/Requests\/sec:\s+([\d.]+)/)![1];
  const p99 = out.match(/99%\s+([\d.]+\w+)/)![1];
  const p50 = out.match(/50%\s+([\d.]+\w+)/)![1];
  return { rps, p50, p99 };
};
const db = await createBenchDatabase((process.env.ENGINE ?? 'sqlite') as 'sqlite', dir);
const api = await startApi(db.env, log);
const body = await (await fetch(`${api.url}/rocks`, { headers: { authorization: 'Token abcdef123456' } })).text();
const bare = await startBareRoute(body, log);
for (let i = 0; i < 2; i++) {
  wrk(`${bare.url}/rocks`);
  console.log('bare wrk', wrk(`${bare.url}/rocks`));
  console.log('bare ac', await runLoad({ url: `${bare.url}/rocks`, connections: 50, seconds: 5 }));
  wrk(`${api.url}/rocks`);
  console.log('api wrk', wrk(`${api.url}/rocks`));
  console.log('api ac', await runLoad({ url: `${api.url}/rocks`, connections: 50, seconds: 5, headers: { authorization: 'Token abcdef123456' } }));
}
await bare.stop(); await api.stop(); await db.drop(); remove();
