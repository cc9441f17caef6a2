/**
 * The cluster DNS image, built offline (ARCHITECTURE.md §4) from this machine's Node.js
 * runtime and the project: a rootfs holding the `node` binary with the shared libraries
 * `ldd` lists, and one esbuild bundle of `src/cli/dns-entry.ts` at `/app/k8ts-dns.cjs`;
 * entrypoint `node /app/k8ts-dns.cjs`. The tag carries a hash of the bundle and the
 * runtime (`docker.io/k8ts/dns:<hash>`), so a changed DNS server is a new image and a
 * rollout of the `k8ts-dns` Deployment, never a stale one under an old name.
 *
 * Built tarballs are kept in a machine-wide cache (`/var/cache/k8ts/images`, override
 * with K8TS_IMAGE_CACHE) keyed by that tag, then copied into the data dir, so each new
 * data dir (tests) does not pay the ~100 MB layer again. The bundle itself is cached
 * there too (bundle-cache.ts), keyed by its inputs' contents, so a server start whose
 * DNS sources did not change skips esbuild.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cachedBundle, esbuildBundler, type Bundler } from './bundle-cache.js';

const run = promisify(execFile);
const ENTRY = fileURLToPath(new URL('../cli/dns-entry.ts', import.meta.url));
export const DNS_IMAGE_REPO = 'docker.io/k8ts/dns';
const cacheDir = (): string => process.env.K8TS_IMAGE_CACHE ?? '/var/cache/k8ts/images';

/** The esbuild settings of the DNS bundle: one CommonJS file (no native modules). */
export const dnsBundler = (): Promise<Bundler> => esbuildBundler({
  // Modules reading import.meta.url (createRequire) get the bundle's own URL.
  define: { 'import.meta.url': '__k8tsImportMetaUrl' }, banner: 'const __k8tsImportMetaUrl = require("node:url").pathToFileURL(__filename).href;',
});

/**
 * The DNS bundle and the image tag derived from it (12 hex digits of the sha256 of the
 * code, the Node.js version and binary path) and the full reference. The bundle comes from
 * the cache in `cacheDir` (default: the image cache) when its inputs are unchanged.
 * `entry` and `bundler` are for tests. Throws esbuild's errors.
 */
export async function dnsImageTag(opts: { cacheDir?: string; entry?: string; bundler?: Bundler; log?: (m: string) => void } = {}): Promise<{ code: string; tag: string; ref: string; cached: boolean }> {
  const { code, cached } = await cachedBundle({ entry: opts.entry ?? ENTRY, cacheDir: opts.cacheDir ?? cacheDir(), bundler: opts.bundler ?? await dnsBundler(), log: opts.log });
  const tag = createHash('sha256').update(code).update(process.version).update(process.execPath).digest('hex').slice(0, 12);
  return { code, tag, ref: `${DNS_IMAGE_REPO}:${tag}`, cached };
}

/** Shared libraries of `binary` (absolute paths, including the dynamic loader). */
async function sharedLibraries(binary: string): Promise<string[]> {
  const { stdout } = await run('ldd', [binary]).catch(() => ({ stdout: '' }));
  return [...stdout.matchAll(/(\/\S+)\s+\(0x/g)].map((m) => m[1]);
}

/**
 * Builds (or reuses) the DNS image tarball in `outDir` as `k8ts-dns.tar` with a
 * `.tags` file, removing older DNS tarballs there. Returns the image reference.
 */
export async function buildDnsImage(opts: { outDir: string; log?: (m: string) => void }): Promise<string> {
  const { code, tag, ref } = await dnsImageTag({ log: opts.log });
  const node = process.execPath;
  const out = join(opts.outDir, 'k8ts-dns.tar');
  mkdirSync(opts.outDir, { recursive: true });
  if (existsSync(`${out}.tags`) && readFileSync(`${out}.tags`, 'utf8').split('\n').includes(ref) && existsSync(out)) return ref;
  const cached = join(cacheDir(), `k8ts-dns-${tag}.tar`);
  if (!existsSync(cached)) {
    opts.log?.(`building ${ref}`);
    const work = mkdtempSync(join(tmpdir(), 'k8ts-dns-image-'));
    try {
      const fs = join(work, 'rootfs');
      for (const d of ['app', 'etc', 'tmp', 'proc', 'sys', 'dev', 'usr/bin']) mkdirSync(join(fs, d), { recursive: true });
      chmodSync(join(fs, 'tmp'), 0o1777);
      copyFileSync(node, join(fs, 'usr/bin/node'));
      chmodSync(join(fs, 'usr/bin/node'), 0o755);
      for (const lib of await sharedLibraries(node)) {
        mkdirSync(join(fs, dirname(lib)), { recursive: true });
        copyFileSync(lib, join(fs, lib));
      }
      writeFileSync(join(fs, 'app/k8ts-dns.cjs'), code);
      writeFileSync(join(fs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/false\nnobody:x:65534:65534:nobody:/:/bin/false\n');
      writeFileSync(join(fs, 'etc/group'), 'root:x:0:\nnobody:x:65534:\n');
      const layout = join(work, 'layout');
      await run('umoci', ['init', '--layout', layout]);
      await run('umoci', ['new', '--image', `${layout}:dns`]);
      await run('umoci', ['insert', '--image', `${layout}:dns`, fs, '/']);
      await run('umoci', ['config', '--image', `${layout}:dns`, '--config.env', 'PATH=/usr/bin:/bin', '--config.entrypoint', '/usr/bin/node', '--config.entrypoint', '/app/k8ts-dns.cjs']);
      mkdirSync(cacheDir(), { recursive: true });
      const tmp = `${cached}.${process.pid}.tmp`;
      await run('skopeo', ['copy', '--quiet', `oci:${layout}:dns`, `docker-archive:${tmp}:${ref}`]);
      renameSync(tmp, cached);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  for (const f of readdirSync(opts.outDir)) if (/^k8ts-dns.*\.tar(\.tags)?$/.test(f)) rmSync(join(opts.outDir, f), { force: true });
  copyFileSync(cached, out);
  writeFileSync(`${out}.tags`, `${ref}\n`);
  return ref;
}
