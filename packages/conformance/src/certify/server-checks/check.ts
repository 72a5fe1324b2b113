import type { Capability } from '@tsgi/interface';
import type { Driver, DriverFeatures } from '../../drivers/driver.js';
import type { CheckContext } from './context.js';

/** One fixed server check: the clauses it decides and what it needs to run. */
export interface ServerCheck {
  name: string;
  clauses: readonly string[];
  /** Capabilities the host must advertise for the check to apply. */
  capabilities?: readonly Capability[];
  /** What the driver must be able to do. */
  features?: ReadonlyArray<keyof DriverFeatures>;
  /** Drivers it applies to (all when absent). */
  drivers?: ReadonlyArray<Driver['kind']>;
  run(ctx: CheckContext): Promise<void>;
}
