import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  parent: number;
  session: number;
  nice: number;
  /** 'Z' once it has exited and its parent has not yet reaped it. */
  state: string;
}

/** A process's parent, session, nice value and state, from /proc/<pid>/stat; undefined once it is gone. */
export function processInfo(pid: number | string): ProcessInfo | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The fields after the command's name (in parentheses, and it may hold spaces), from the state (field 3) on.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { pid: Number(pid), state: fields[0]!, parent: Number(fields[1]), session: Number(fields[3]), nice: Number(fields[16]) };
}

const isHashingHelper = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('pbkdf2Sync');
  } catch {
    return false;
  }
};

/** `parent`'s password hashing helpers that are running (not yet exited). */
export const hashingHelpersOf = (parent: number): ProcessInfo[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(processInfo)
    .filter((info): info is ProcessInfo => info?.parent === parent && info.state !== 'Z' && isHashingHelper(info.pid));
