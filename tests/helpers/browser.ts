import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';

// The init script below runs in the page; the project's tsconfig has no DOM lib, so name what it uses.
declare const document: { addEventListener(type: 'securitypolicyviolation', fn: (e: { violatedDirective: string; blockedURI: string }) => void): void };
declare const window: { __reportCspViolation(text: string): void };

/** Debian's Chromium by default; CHROMIUM_PATH points elsewhere (e.g. a Playwright download). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);
const INSTALL_HINT = 'sudo apt-get update && sudo apt-get install -y chromium';

/** Headless Chromium with the background chatter (updates, sync, QUIC probes) turned off. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * describe() for suites that drive a real browser. Without Chromium they are skipped with the
 * install command, except on CI (CI set), where a missing browser must fail the run, not hide it.
 */
export function describeBrowser(name: string, fn: () => void): void {
  if (hasChromium) {
    describe(name, fn);
    return;
  }
  const problem = `Chromium not found at ${CHROMIUM_PATH}. Install it with: ${INSTALL_HINT} (or set CHROMIUM_PATH).`;
  if (process.env.CI) {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(problem);
      });
    });
    return;
  }
  console.warn(`Skipping browser tests "${name}". ${problem}`);
  describe.skip(name, fn);
}

/**
 * Collects everything that would show up red in DevTools: console errors (failed loads and CSP
 * reports among them), uncaught exceptions, and CSP violations reported to the page itself.
 * Call before the first navigation.
 */
export async function watchForErrors(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  await page.exposeFunction('__reportCspViolation', (text: string) => errors.push(`csp: ${text}`));
  // Init scripts run through DevTools, outside the page's CSP, so this listener is always there.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  return errors;
}

// Runs in the page (see above: no DOM lib in the project's tsconfig).
declare const localStorage: { getItem(key: string): string | null };

/** Headers that make a request from the test count as the page's own session (its stored session id, its origin). */
export async function pageSessionHeaders(page: Page, origin: string): Promise<Record<string, string>> {
  const session = await page.evaluate(() => localStorage.getItem('labcoat.session'));
  if (!session) throw new Error('the page holds no session id yet (labcoat.session)');
  return { 'X-Session-ID': session, Origin: origin };
}
