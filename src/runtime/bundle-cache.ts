/**
 * A cache for esbuild bundles: the bundled code is stored with the list of input files
 * esbuild's metafile reports and a hash of each one's content, so a later call whose inputs
 * (and bundler version and options) are unchanged gets the stored code without running
 * esbuild (~0.5 s for the DNS entry point; hashing the inputs takes a few ms).
 *
 * One JSON file per entry point, written atomically (temporary file + rename), so
 * concurrent servers sharing the cache never read a half-written bundle.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A bundle: its code and the absolute paths of the files it was built from. */
export interface Bundle { code: string; inputs: string[] }

/** Builds bundles; `version` and `options` (any string describing the build settings) key the cache. */
export interface Bundler {
  version: string;
  options: string;
  build(entry: string): Promise<Bundle>;
}

interface CacheFile { version: 1; bundler: string; options: string; entry: string; inputs: Array<{ path: string; sha256: string }>; code: string }

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * An esbuild bundler: one CommonJS file for Node 20 (no minification, no legal comments),
 * with `define`/`banner` as given. With `sourceImportMetaUrl`, each of the project's own
 * modules (not node_modules) sees `import.meta.url` as its source file's URL, so files it
 * reads beside itself (a .proto) are found where they are. The inputs are the metafile's,
 * resolved against the working directory esbuild ran in. Throws esbuild's build errors.
 */
export async function esbuildBundler(settings: { define?: Record<string, string>; banner?: string; sourceImportMetaUrl?: boolean } = {}): Promise<Bundler> {
  const esbuild = await import('esbuild');
  const absWorkingDir = process.cwd();
  const sourceUrls: import('esbuild').Plugin = {
    name: 'source-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
        if (args.path.includes('/node_modules/')) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const loader = /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js';
        return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader };
      });
    },
  };
  return {
    version: `esbuild ${esbuild.version}`,
    options: JSON.stringify(settings),
    async build(entry: string): Promise<Bundle> {
      const r = await esbuild.build({
        entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, metafile: true, absWorkingDir,
        define: settings.define, banner: settings.banner ? { js: settings.banner } : undefined, minify: false, legalComments: 'none', logLevel: 'silent',
        plugins: settings.sourceImportMetaUrl ? [sourceUrls] : [],
      });
      // Metafile input keys are paths relative to absWorkingDir; other namespaces ("ns:path") are not files.
      const inputs = Object.keys(r.metafile.inputs).filter((p) => !/^[a-z-]+:/.test(p)).map((p) => (isAbsolute(p) ? p : resolve(absWorkingDir, p)));
      return { code: r.outputFiles[0].text, inputs };
    },
  };
}

/**
 * The bundle of `entry` (absolute path), from `cacheDir` when the bundler's version and
 * options match the stored ones and every stored input still has the same content;
 * otherwise built with `bundler` and stored. A cache that cannot be read or written only
 * costs a build (logged with `log`). Returns the code and whether it came from the cache.
 */
export async function cachedBundle(opts: { entry: string; cacheDir: string; bundler: Bundler; log?: (m: string) => void }): Promise<{ code: string; cached: boolean }> {
  const file = join(opts.cacheDir, `bundle-${sha256(opts.entry).slice(0, 16)}.json`);
  const hit = readValid(file, opts);
  if (hit !== undefined) return { code: hit, cached: true };
  const b = await opts.bundler.build(opts.entry);
  const inputs: CacheFile['inputs'] = [];
  for (const path of b.inputs) {
    try { inputs.push({ path, sha256: sha256(readFileSync(path)) }); } catch { /* not a file: not part of the key */ }
  }
  const entry: CacheFile = { version: 1, bundler: opts.bundler.version, options: opts.bundler.options, entry: opts.entry, inputs, code: b.code };
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(opts.cacheDir, { recursive: true });
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, file);
  } catch (err) {
    try { rmSync(tmp, { force: true }); } catch { /* the folder itself is unusable */ }
    opts.log?.(`bundle cache not written (${file}): ${(err as Error).message}`);
  }
  return { code: b.code, cached: false };
}

/** The stored code if `file` matches the entry, bundler and the inputs' current contents. */
function readValid(file: string, opts: { entry: string; bundler: Bundler }): string | undefined {
  let c: CacheFile;
  try { c = JSON.parse(readFileSync(file, 'utf8')) as CacheFile; } catch { return undefined; }
  if (c.version !== 1 || c.entry !== opts.entry || c.bundler !== opts.bundler.version || c.options !== opts.bundler.options || !c.inputs?.length || typeof c.code !== 'string') return undefined;
  for (const input of c.inputs) {
    try { if (sha256(readFileSync(input.path)) !== input.sha256) return undefined; } catch { return undefined; }
  }
  return c.code;
}
