import { MAX_WEIGHT, MIN_WEIGHT, WEIGHT_DECIMALS } from './limits.js';

/** A weight written as the API and the forms accept it: digits with an optional decimal point, optionally signed. */
// Each pattern can match a string in one way only, so neither backtracks.
const DECIMAL_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const ALLOWED_DECIMALS = new RegExp(`^\\+?\\d*(?:\\.\\d{0,${WEIGHT_DECIMALS}})?$`);

/** The number a weight's text stands for, or NaN when it is not a plain decimal. */
export function weightAmount(text: string): number {
  const trimmed = text.trim();
  return DECIMAL_TEXT.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** Whether `amount` kilograms is a weight a rock may have. */
export function isWeightInRange(amount: number): boolean {
  return amount >= MIN_WEIGHT && amount <= MAX_WEIGHT;
}

/** Whether the weight, as written, has no more decimals than the column keeps. */
export function hasAllowedDecimals(text: string): boolean {
  return ALLOWED_DECIMALS.test(text.trim());
}

/** The canonical text of a weight, as the API answers it: "1.30". */
export function formatWeight(amount: number): string {
  return amount.toFixed(WEIGHT_DECIMALS);
}
