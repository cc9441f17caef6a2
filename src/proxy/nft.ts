/**
 * Runs an nft script as one transaction (`nft -f -`): all of it applies or none does.
 * `netns` runs it inside a named network namespace (tests). Rejects with nft's
 * message (and the script's first lines) on failure.
 */
import { spawn } from 'node:child_process';

export function runNft(script: string, opts: { netns?: string } = {}): Promise<void> {
  const [cmd, args] = opts.netns ? ['ip', ['netns', 'exec', opts.netns, 'nft', '-f', '-']] : ['nft', ['-f', '-']];
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args as string[], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`nft -f failed (exit ${code}): ${err.trim().slice(0, 2000)}`))));
    p.stdin.end(script);
  });
}

/** `nft list table ip <table>` output, or '' when there is no such table. */
export function listTable(table: string, opts: { netns?: string } = {}): Promise<string> {
  const [cmd, args] = opts.netns ? ['ip', ['netns', 'exec', opts.netns, 'nft', 'list', 'table', 'ip', table]] : ['nft', ['list', 'table', 'ip', table]];
  return new Promise((resolve) => {
    const p = spawn(cmd, args as string[], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.on('error', () => resolve(''));
    p.on('close', (code) => resolve(code === 0 ? out : ''));
  });
}
