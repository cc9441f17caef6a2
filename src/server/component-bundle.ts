/**
 * The script a component thread runs (component-thread.ts): its entry module (e.g.
 * scheduler-thread.ts) and everything that imports, as one CommonJS bundle built by
 * esbuild and kept by bundle-cache.ts while its inputs are unchanged. The bundle is
 * written as `<entry name>-<8 hex digits of the entry's URL's sha256>-<12 of the
 * code's>.cjs` in the cache folder
 * (`K8TS_BUNDLE_CACHE`, default /var/cache/k8ts/bundles). A thread that loads one plain
 * file starts faster than through the TypeScript loader, module by module, and without
 * the loader's own hooks thread (~25 MB of RSS per thread). Writing a new bundle of an
 * entry removes the older ones of that entry.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedBundle, esbuildBundler, type Bundler } from '../runtime/bundle-cache.js';

/** The entry module of each component thread of `k8ts server`. */
export const COMPONENT_THREAD_ENTRIES = {
  scheduler: new URL('./scheduler-thread.ts', import.meta.url),
  'controller-manager': new URL('./controller-manager-thread.ts', import.meta.url),
  node: new URL('./node-thread.ts', import.meta.url),
} as const;

/** Builds (or finds in the cache) the bundle of every component thread, as `k8ts images build` does so that a first start need not. */
export async function buildComponentBundles(log?: (m: string) => void): Promise<void> {
  await Promise.all(Object.values(COMPONENT_THREAD_ENTRIES).map((e) => componentScript(e, log)));
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const cacheDir = (): string => process.env.K8TS_BUNDLE_CACHE ?? '/var/cache/k8ts/bundles';
let bundler: Promise<Bundler> | undefined;

/**
 * The bundle of `entry` (a module's file URL): the path of the written `.cjs`, or the code
 * itself when the cache folder cannot be written (logged). Throws esbuild's build errors.
 */
export async function componentScript(entry: URL, log?: (m: string) => void): Promise<{ file: string } | { code: string }> {
  bundler ??= esbuildBundler({ sourceImportMetaUrl: true });
  const dir = cacheDir();
  const { code } = await cachedBundle({ entry: fileURLToPath(entry), cacheDir: dir, bundler: await bundler, log });
  // Named after the entry and its path (checkouts side by side keep their own), then the code.
  const name = `${basename(entry.pathname).replace(/\.[cm]?[jt]s$/, '')}-${sha256(entry.href).slice(0, 8)}`;
  const file = join(dir, `${name}-${sha256(code).slice(0, 12)}.cjs`);
  if (existsSync(file)) return { file };
  // Written whole under another name, then renamed: a concurrent start never loads half a file.
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, code);
    renameSync(tmp, file);
    // Older bundles of the same entry are of code that has changed since.
    for (const f of readdirSync(dir)) if (f !== basename(file) && f.startsWith(`${name}-`) && f.endsWith('.cjs')) rmSync(join(dir, f), { force: true });
    return { file };
  } catch (err) {
    try { rmSync(tmp, { force: true }); } catch { /* the folder itself is unusable */ }
    log?.(`component bundle not written (${file}): ${(err as Error).message}`);
    return { code };
  }
}
