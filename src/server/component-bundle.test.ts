import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { componentScript } from './component-bundle.js';
import { tempDirs } from '../../test/support/temp-dirs.js';

const dirs = tempDirs();
after(() => dirs.removeAll());

/** Runs `fn` with K8TS_BUNDLE_CACHE set to `dir`. */
async function withCache<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const old = process.env.K8TS_BUNDLE_CACHE;
  process.env.K8TS_BUNDLE_CACHE = dir;
  try { return await fn(); } finally { if (old === undefined) delete process.env.K8TS_BUNDLE_CACHE; else process.env.K8TS_BUNDLE_CACHE = old; }
}

test('component bundle: one .cjs per entry in the cache, reused while the inputs are unchanged; import.meta.url is each source file\'s', async () => {
  const src = dirs.make('k8ts-bundle-src-');
  const cache = dirs.make('k8ts-bundle-cache-');
  writeFileSync(join(src, 'where.ts'), 'export const where = (): string => import.meta.url;\n');
  writeFileSync(join(src, 'meta-entry.ts'), "import { where } from './where.js';\nexport const url = where();\n");
  const entry = pathToFileURL(join(src, 'meta-entry.ts'));
  const first = await withCache(cache, () => componentScript(entry));
  assert.ok('file' in first, 'written to the cache folder');
  assert.match(first.file, /\/meta-entry-[0-9a-f]{8}-[0-9a-f]{12}\.cjs$/);
  const mtime = statSync(first.file).mtimeMs;
  const loaded = createRequire(import.meta.url)(first.file) as { url: string };
  assert.equal(loaded.url, pathToFileURL(join(src, 'where.ts')).href, 'the module sees its own source URL, not the bundle\'s');

  const second = await withCache(cache, () => componentScript(entry));
  assert.deepEqual(second, first);
  assert.equal(statSync(first.file).mtimeMs, mtime, 'not rewritten');

  // A changed input makes a new bundle, and the old one of that entry goes.
  writeFileSync(join(src, 'where.ts'), 'export const where = (): string => `changed ${import.meta.url}`;\n');
  const third = await withCache(cache, () => componentScript(entry));
  assert.ok('file' in third && third.file !== first.file);
  assert.deepEqual(readdirSync(cache).filter((f) => f.endsWith('.cjs')), [third.file.split('/').pop()]);
});

test('component bundle: an unwritable cache folder costs only the file: the code is returned', async () => {
  const src = dirs.make('k8ts-bundle-src-');
  writeFileSync(join(src, 'entry.ts'), 'export const x = 1;\n');
  const lines: string[] = [];
  // A folder below a plain file can never be made (ENOTDIR).
  writeFileSync(join(src, 'not-a-dir'), '');
  const r = await withCache(join(src, 'not-a-dir', 'cache'), () => componentScript(pathToFileURL(join(src, 'entry.ts')), (m) => lines.push(m)));
  assert.ok('code' in r && r.code.includes('x = 1'), JSON.stringify(r).slice(0, 200));
  assert.ok(lines.some((l) => l.startsWith('component bundle not written')), lines.join('\n'));
});
