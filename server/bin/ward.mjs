#!/usr/bin/env node
// The `ward` operator CLI (R-UX-2). TypeScript runs through tsx, registered in-process.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
