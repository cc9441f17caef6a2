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
 * data dir (tests) does not pay the ~100 MB layer again.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ENTRY = fileURLToPath(new URL('../cli/dns-entry.ts', import.meta.url));
export const DNS_IMAGE_REPO = 'docker.io/k8ts/dns';
const cacheDir = (): string => process.env.K8TS_IMAGE_CACHE ?? '/var/cache/k8ts/images';

/** Bundles the DNS entry point into one CommonJS file (no native modules). Throws esbuild's errors. */
async function bundle(): Promise<string> {
  const esbuild = await import('esbuild');
  const r = await esbuild.build({ entryPoints: [ENTRY], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false,
    // Modules reading import.meta.url (createRequire) get the bundle's own URL.
    define: { 'import.meta.url': '__k8tsImportMetaUrl' }, banner: { js: 'const __k8tsImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' }, minify: false, legalComments: 'none', logLevel: 'silent' });
  return r.outputFiles[0].text;
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
  const code = await bundle();
  const node = process.execPath;
  const tag = createHash('sha256').update(code).update(process.version).update(node).digest('hex').slice(0, 12);
  const ref = `${DNS_IMAGE_REPO}:${tag}`;
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
