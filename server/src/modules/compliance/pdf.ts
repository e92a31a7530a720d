import { existsSync } from 'node:fs';
import { WardError } from '@ward/contracts';

/**
 * HTML → PDF (and a page as PNG) with the system's Chromium (Debian's /usr/bin/chromium, or
 * another path given), driven by playwright-core: nothing is downloaded. The page is loaded with
 * JavaScript off and every request blocked: the report is self-contained (inline CSS and SVG).
 */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function withPage<T>(html: string, executablePath: string, fn: (page: import('playwright-core').Page) => Promise<T>): Promise<T> {
  if (!existsSync(executablePath)) throw new WardError('CONFIG_INVALID', `No Chromium at ${executablePath}: install Debian's chromium package (apt-get install chromium), or use --format html.`);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, headless: true, args: FLAGS });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1240, height: 1754 } });
    await context.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return await fn(page);
  } finally {
    await browser.close();
  }
}

export function htmlToPdf(html: string, opts: { executablePath?: string } = {}): Promise<Buffer> {
  return withPage(html, opts.executablePath ?? DEFAULT_CHROMIUM, (page) =>
    page.pdf({ format: 'A4', landscape: true, printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } }));
}

/** The first `heightPx` of the rendered page as PNG (docs/screens). */
export function htmlToPng(html: string, opts: { executablePath?: string; heightPx?: number } = {}): Promise<Buffer> {
  return withPage(html, opts.executablePath ?? DEFAULT_CHROMIUM, (page) =>
    page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: 1240, height: opts.heightPx ?? 1754 } }));
}
