#!/usr/bin/env -S node --max-semi-space-size=8
// Entry point of the `k8ts` CLI: loads the TypeScript sources through tsx's ESM loader
// (no build step), then runs src/cli/main.ts.
import { register } from 'tsx/esm/api';

// A termination signal while the sources load ends the process cleanly: nothing has
// started yet. main() removes this; long-running commands then install their own
// handlers before loading their modules (src/cli/termination.ts).
const startupSignalHandler = () => process.exit(0);
globalThis.k8tsStartupSignalHandler = startupSignalHandler;
process.once('SIGTERM', startupSignalHandler);
process.once('SIGINT', startupSignalHandler);
register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv.slice(2));
