import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dnsBundler, dnsImageTag } from './dns-image.js';
import type { Bundler } from './bundle-cache.js';

/** The DNS bundler with a count of its builds. */
async function countingBundler(): Promise<Bundler & { builds: number }> {
  const real = await dnsBundler();
  const spy = { ...real, builds: 0, build: (entry: string) => { spy.builds++; return real.build(entry); } };
  return spy;
}

test('DNS image tag: the bundle is cached by its inputs; esbuild runs again only when an input changes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-dns-bundle-'));
  try {
    const entry = join(dir, 'entry.ts');
    const dep = join(dir, 'dep.ts');
    writeFileSync(entry, "import { answer } from './dep.js';\nconsole.log(answer);\n");
    writeFileSync(dep, 'export const answer: number = 42;\n');
    const cacheDir = join(dir, 'cache');
    const bundler = await countingBundler();

    const first = await dnsImageTag({ entry, cacheDir, bundler });
    assert.equal(bundler.builds, 1);
    assert.equal(first.cached, false);
    assert.match(first.ref, /^docker\.io\/k8ts\/dns:[0-9a-f]{12}$/);
    assert.match(first.code, /42/);

    const second = await dnsImageTag({ entry, cacheDir, bundler });
    assert.equal(bundler.builds, 1, 'no esbuild run when nothing changed');
    assert.equal(second.cached, true);
    assert.equal(second.tag, first.tag);
    assert.equal(second.code, first.code);

    // Same size, new content: still detected.
    writeFileSync(dep, 'export const answer: number = 43;\n');
    const third = await dnsImageTag({ entry, cacheDir, bundler });
    assert.equal(bundler.builds, 2);
    assert.notEqual(third.tag, first.tag);
    assert.match(third.code, /43/);

    // A different bundler version is a miss too.
    const fourth = await dnsImageTag({ entry, cacheDir, bundler: { ...bundler, version: 'esbuild 0.0.0-other', build: bundler.build } });
    assert.equal(bundler.builds, 3);
    assert.equal(fourth.tag, third.tag);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('DNS image tag: an unwritable cache only costs a build', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-dns-bundle-'));
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, 'console.log(1);\n');
    writeFileSync(join(dir, 'file'), '');
    const bundler = await countingBundler();
    const logs: string[] = [];
    const a = await dnsImageTag({ entry, cacheDir: join(dir, 'file', 'cache'), bundler, log: (m) => logs.push(m) });
    const b = await dnsImageTag({ entry, cacheDir: join(dir, 'file', 'cache'), bundler, log: (m) => logs.push(m) });
    assert.equal(bundler.builds, 2);
    assert.equal(a.tag, b.tag);
    assert.equal(logs.length, 2);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
