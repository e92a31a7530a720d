// Builds one migrated PGlite data directory for a whole test run (scripts/test.mjs calls this);
// test files copy it instead of running initdb each (5–9 s per start).
import { migrate } from '../../src/db/migrate.ts';
import { openEmbedded } from '../../src/db/pglite.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: build-template.ts <dir>');
const started = Date.now();
const db = await openEmbedded(dir, { lock: false });
await migrate(db.systemDb);
await db.close();
process.stdout.write(`# PGlite template built in ${Date.now() - started} ms\n`);
