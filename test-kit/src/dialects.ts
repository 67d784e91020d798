/** The databases the API runs on. */
export const DIALECTS = ['sqlite', 'postgres'] as const;
export type Dialect = (typeof DIALECTS)[number];

/**
 * The dialects a suite runs on: `TEST_DIALECTS=sqlite` (or `postgres`, or both comma-separated)
 * narrows every suite alike; unset or empty means both. An unknown name is an error rather than a
 * run that quietly tests nothing.
 */
export function selectDialects(setting = process.env.TEST_DIALECTS): Dialect[] {
  if (setting === undefined || setting.trim() === '') return [...DIALECTS];
  const wanted = setting.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = wanted.filter((name) => !(DIALECTS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`TEST_DIALECTS: unknown dialect ${unknown.join(', ')} (use ${DIALECTS.join(', ')})`);
  return DIALECTS.filter((dialect) => wanted.includes(dialect));
}
