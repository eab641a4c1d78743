/**
 * Headless chromium for the map's browser tests and benchmark (specs/map-ui.md §1): Debian's chromium
 * (`CHROMIUM_PATH`, default /usr/bin/chromium) driven by playwright-core, WebGL 2 through SwiftShader,
 * and the browser kept off the network.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-gpu-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
];

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export function launchBrowser(): Promise<Browser> {
  // Playwright's 180 s launch limit is too short on a loaded CI machine.
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, timeout: 600_000 });
}

/**
 * A page with a shim for `__name`: tsx (esbuild keepNames) wraps functions passed to page.evaluate in
 * `__name(...)`, which does not exist in the page.
 */
export async function newMapPage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(300_000);
  await page.addInitScript('globalThis.__name = (f) => f;');
  return page;
}

/** Console errors and page errors, for asserting a clean page. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** Wait until `window.hexiumMap` exists, its data has loaded (`body[data-ready]`) and it is idle. */
export async function waitForMapIdle(page: Page, timeoutMs = 300_000): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.ready === 'true' && !!window.hexiumMap, undefined, { timeout: timeoutMs, polling: 100 });
  await waitForIdle(page, timeoutMs);
}

/** Resolve on the map's next `idle` (or at once when it is loaded and not moving with no pending work). */
export async function waitForIdle(page: Page, timeoutMs = 300_000): Promise<void> {
  await page.evaluate(
    (ms) =>
      new Promise<void>((resolve, reject) => {
        const map = window.hexiumMap;
        const t = setTimeout(() => reject(new Error('map did not become idle')), ms);
        const done = () => {
          clearTimeout(t);
          resolve();
        };
        map.once('idle', done);
        map.triggerRepaint();
      }),
    timeoutMs,
  );
}

/** Unique rendered features of a layer, by a property (a hex on a tile border is returned twice). */
export function renderedUnique(page: Page, layer: string, key: string): Promise<string[]> {
  return page.evaluate(
    ([l, k]) => [...new Set(window.hexiumMap.queryRenderedFeatures({ layers: [l] }).map((f) => String(f.properties[k] ?? f.id)))],
    [layer, key] as const,
  );
}

/** Newest modification time of files under a directory (recursive), 0 when it does not exist. */
export function newestMtimeMs(dir: string, skip: (name: string) => boolean = (n) => n === 'node_modules' || n === 'dist'): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const name of readdirSync(dir)) {
    if (skip(name)) continue;
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestMtimeMs(p, skip) : s.mtimeMs);
  }
  return newest;
}

const MAP_DIR = fileURLToPath(new URL('../../map-ui', import.meta.url));
/** The built map the oracle serves (`mapDir`). */
export const MAP_DIST = join(MAP_DIR, 'dist');

/** Build map-ui/dist when it is missing or older than its sources. */
export async function ensureMapBuilt(): Promise<void> {
  const index = join(MAP_DIST, 'index.html');
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (built >= newestMtimeMs(MAP_DIR, (n) => n === 'node_modules' || n === 'dist' || n.endsWith('.test.ts'))) return;
  const { build } = await import('vite');
  await build({ configFile: join(MAP_DIR, 'vite.config.ts'), logLevel: 'warn' });
}
