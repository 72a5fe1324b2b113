// Replaying property tests: every failure prints `{ seed, path }`; run
//   FC_SEED=<seed> FC_PATH=<path> npx vitest run <file>
// to replay it exactly, or FC_RUNS=<n> to search harder than the default (a property that
// passes its own numRuns keeps it: fast-check's local parameters win over global ones).
import fc from 'fast-check';

const seed = process.env.FC_SEED;
const path = process.env.FC_PATH;
const runs = process.env.FC_RUNS;

fc.configureGlobal({
  ...(seed !== undefined && { seed: Number(seed) }),
  ...(path !== undefined && { path }),
  ...(runs !== undefined && { numRuns: Number(runs) }),
});
