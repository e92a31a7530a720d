// `npm test` (scripts/test.mjs) runs this once before the test files: the repository's policies
// validated in full against the schema, the digest of what was validated printed for the run's
// environment (WARD_TEST_POLICIES_VALIDATED; policy-files.ts). A failure stops the run.
import { loadPolicyFiles } from '../../src/modules/policy/policy-files.ts';

delete process.env.WARD_TEST_POLICIES_VALIDATED;
process.stdout.write(loadPolicyFiles().digest);
