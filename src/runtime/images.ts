/**
 * Offline images (ARCHITECTURE.md §4; RUNTIME-NOTES.md "Images, offline"): busybox and
 * the pause image built from Debian's busybox-static with umoci and skopeo into
 * docker-archive tarballs, and their import into containerd's k8s.io namespace — as
 * k3s imports the tarballs of its agent/images folder at start.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SANDBOX_IMAGE } from './paths.js';

const run = promisify(execFile);
const BUSYBOX = '/bin/busybox';

/** The busybox version of the host's busybox-static (e.g. 1.35.0). */
export async function busyboxVersion(): Promise<string> {
  const { stdout, stderr } = await run(BUSYBOX, ['--help']).catch((e: { stdout: string; stderr: string }) => e);
  const m = /BusyBox v(\d+\.\d+\.\d+)/.exec(`${stdout}${stderr}`);
  return m ? m[1] : 'latest';
}

async function rootfs(dir: string, applets: string[]): Promise<void> {
  for (const d of ['bin', 'etc', 'tmp', 'proc', 'sys', 'dev', 'root', 'var', 'home']) mkdirSync(join(dir, d), { recursive: true });
  chmodSync(join(dir, 'tmp'), 0o1777);
  copyFileSync(BUSYBOX, join(dir, 'bin', 'busybox'));
  chmodSync(join(dir, 'bin', 'busybox'), 0o755);
  for (const a of applets) if (a !== 'busybox') symlinkSync('busybox', join(dir, 'bin', a));
  writeFileSync(join(dir, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n');
  writeFileSync(join(dir, 'etc', 'group'), 'root:x:0:\nnobody:x:65534:\n');
}

async function buildOne(work: string, name: string, applets: string[], config: string[], out: string, tags: string[]): Promise<void> {
  const layout = join(work, 'layout');
  if (!existsSync(layout)) await run('umoci', ['init', '--layout', layout]);
  const fs = join(work, `${name}-rootfs`);
  await rootfs(fs, applets);
  await run('umoci', ['new', '--image', `${layout}:${name}`]);
  await run('umoci', ['insert', '--rootless', '--image', `${layout}:${name}`, fs, '/']).catch(() => run('umoci', ['insert', '--image', `${layout}:${name}`, fs, '/']));
  await run('umoci', ['config', '--image', `${layout}:${name}`, '--config.env', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...config]);
  rmSync(out, { force: true });
  await run('skopeo', ['copy', '--quiet', `oci:${layout}:${name}`, `docker-archive:${out}:${tags[0]}`, ...tags.slice(1).flatMap((t) => ['--additional-tag', t])]);
  writeFileSync(`${out}.tags`, tags.join('\n') + '\n');
}

/**
 * Builds busybox (`docker.io/library/busybox:latest` and `:<version>`) and pause
 * (`registry.k8s.io/pause:3.10`) tarballs into `outDir`; skips tarballs newer than
 * /bin/busybox. Returns the tarball paths. Throws when umoci or skopeo fail.
 */
export async function buildImages(opts: { outDir: string; log?: (m: string) => void }): Promise<string[]> {
  mkdirSync(opts.outDir, { recursive: true });
  const version = await busyboxVersion();
  const bb = join(opts.outDir, 'busybox.tar');
  const pause = join(opts.outDir, 'pause.tar');
  const fresh = (f: string): boolean => existsSync(f) && statSync(f).mtimeMs > statSync(BUSYBOX).mtimeMs;
  if (fresh(bb) && fresh(pause)) return [bb, pause];
  const work = mkdtempSync(join(tmpdir(), 'k8ts-images-'));
  try {
    const { stdout } = await run(BUSYBOX, ['--list']);
    const applets = stdout.split('\n').map((s) => s.trim()).filter(Boolean);
    if (!fresh(bb)) {
      opts.log?.(`building docker.io/library/busybox:${version}`);
      await buildOne(work, 'busybox', applets, ['--config.cmd', 'sh'], bb, ['docker.io/library/busybox:latest', `docker.io/library/busybox:${version}`]);
    }
    if (!fresh(pause)) {
      opts.log?.(`building ${SANDBOX_IMAGE}`);
      await buildOne(work, 'pause', ['sleep'], ['--config.entrypoint', '/bin/sleep', '--config.cmd', 'infinity'], pause, [SANDBOX_IMAGE]);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return [bb, pause];
}

/**
 * Imports every tarball of `dir` into containerd (namespace k8s.io), skipping a tarball
 * whose tags (listed in `<tar>.tags` at build time) are all present already.
 */
export async function importImages(opts: { address: string; dir: string }): Promise<void> {
  if (!existsSync(opts.dir)) return;
  const tars = readdirSync(opts.dir).filter((f) => f.endsWith('.tar'));
  if (!tars.length) return;
  const { stdout } = await run('ctr', ['-a', opts.address, '-n', 'k8s.io', 'images', 'ls', '-q']);
  const present = new Set(stdout.split('\n').filter(Boolean));
  for (const t of tars) {
    const path = join(opts.dir, t);
    const tags = existsSync(`${path}.tags`) ? readFileSync(`${path}.tags`, 'utf8').split('\n').filter(Boolean) : [];
    if (tags.length && tags.every((x) => present.has(x))) continue;
    await run('ctr', ['-a', opts.address, '-n', 'k8s.io', 'images', 'import', path]);
  }
}
