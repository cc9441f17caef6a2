#!/usr/bin/env -S node --max-semi-space-size=2
// Entry point of the `k8ts` CLI: loads the TypeScript sources through tsx's ESM loader
// (no build step), then runs src/cli/main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv.slice(2));
