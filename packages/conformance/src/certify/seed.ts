/** A seed for a run that was given none; printed in every report so the run can be replayed. */
export function randomSeed(): number {
  return (Math.random() * 0x7fffffff) | 0;
}
