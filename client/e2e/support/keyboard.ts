import type { Page } from 'playwright-core';

/** Runs in the page: the focused element's name as a user hears it, near enough (aria-label, label, text). */
function focusedName(): string {
  const element = document.activeElement;
  if (!(element instanceof HTMLElement)) return '';
  const labels = 'labels' in element ? (element.labels as NodeListOf<HTMLLabelElement> | null) : null;
  return (element.getAttribute('aria-label') ?? labels?.[0]?.textContent ?? element.textContent ?? '').trim();
}

/** Presses Tab until the control named `name` has the focus: what a keyboard user does; fails if Tab never gets there. */
export async function tabTo(page: Page, name: string, { maxPresses = 40 } = {}): Promise<void> {
  for (let press = 0; press < maxPresses; press += 1) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(focusedName)) === name) return;
  }
  throw new Error(`${maxPresses} presses of Tab never reached "${name}" (last: "${await page.evaluate(focusedName)}")`);
}

/** Tabs to a field and types into it. */
export async function typeInto(page: Page, name: string, text: string): Promise<void> {
  await tabTo(page, name);
  await page.keyboard.type(text);
}
