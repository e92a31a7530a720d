import { resolve } from 'node:path';
import { WardError } from '@ward/contracts';
import { loadConfig } from '../../config.ts';
import { runDrill } from '../../drill/index.ts';
import { defineCommand } from '../options.ts';

/**
 * `ward drill --target <origin>` (R-GOV-3): the privilege-escalation drill against a running Ward.
 * It provisions its own throwaway tenants through the operator socket of the server that owns
 * WARD_DATA_DIR (so it runs beside the server, as its operator), attacks the target as real clients
 * do, shreds the tenants and writes HTML and JSON reports. The last line is the summary.
 */
export default defineCommand({
  path: ['drill'],
  summary: 'run the privilege-escalation drill against a running server (throwaway tenants, shredded after)',
  options: {
    target: { value: '<origin>', description: "the server's origin, e.g. http://localhost:3000 (its WARD_ORIGIN)", required: true },
    'report-dir': { value: '<dir>', description: 'where the HTML and JSON reports go (default drill-reports)' },
    only: { value: '<id-prefix,...>', description: 'run only the scenarios whose id starts with one of these' },
  },
  help: 'Needs the server\'s data directory (WARD_DATA_DIR): the drill provisions through its operator socket.\n' +
    'Prints one line per failed scenario; the last line reads: drill: <N> scenarios, <B> blocked, <F> failed.\nExits 1 when any scenario failed.',
  usesDatabase: false,
  async run(o, io) {
    let target: URL;
    try {
      target = new URL(o.target);
    } catch {
      throw new WardError('USAGE', '--target is an origin such as http://localhost:3000.');
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new WardError('USAGE', '--target is an http:// or https:// origin.');
    const { dataDir } = loadConfig(io.env);
    return runDrill({ target: target.origin, dataDir, reportDir: resolve(o['report-dir'] ?? 'drill-reports'), only: o.only?.split(',').map((s) => s.trim()).filter(Boolean) }, io);
  },
});
