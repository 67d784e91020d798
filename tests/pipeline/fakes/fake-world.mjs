// @ts-check
// What the fake docker, aws, curl and gh commands share: a JSON file describing the world they pretend
// to be (registry, containers, Parameter Store, ...) and a log of every call, one JSON line each.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

/** @typedef {import('./world.js').World} World */

const statePath = requiredEnv('FAKE_STATE');
const logPath = requiredEnv('FAKE_LOG');

/** @param {string} name */
function requiredEnv(name) {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

/** @returns {World} */
export function loadWorld() {
  return JSON.parse(readFileSync(statePath, 'utf8'));
}

/** @param {World} world */
export function saveWorld(world) {
  writeFileSync(statePath, JSON.stringify(world, null, 2));
}

/** Reads standard input when the caller sends some (`--password-stdin`). */
export function readStdin() {
  return readFileSync(0, 'utf8');
}

/**
 * Appends this call to the log: the command's name, its arguments, what it read on stdin and the
 * contents of every `file://` argument (the scripts delete those files right after).
 * @param {string[]} args
 * @param {string} [stdin]
 */
export function recordCall(args, stdin) {
  /** @type {Record<string, string>} */
  const files = {};
  for (const arg of args) {
    const path = arg.startsWith('file://') ? arg.slice('file://'.length) : undefined;
    if (path !== undefined && existsSync(path)) files[arg] = readFileSync(path, 'utf8');
  }
  const command = basename(process.argv[1] ?? 'unknown').replace(/^fake-|\.mjs$/g, '');
  appendFileSync(logPath, `${JSON.stringify({ command, args, stdin, files })}\n`);
}

/**
 * A copy of record without one key.
 * @template T
 * @param {Record<string, T>} record
 * @param {string} key
 * @returns {Record<string, T>}
 */
export function without(record, key) {
  return Object.fromEntries(Object.entries(record).filter(([each]) => each !== key));
}

/**
 * The value following `name` in args.
 * @param {string[]} args
 * @param {string} name
 */
export function optionValue(args, name) {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

/**
 * Ends the fake command like a failing real one.
 * @param {string} message
 * @param {number} [code]
 * @returns {never}
 */
export function fail(message, code = 1) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}
