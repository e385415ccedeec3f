// Workers in tests log errors only (expected run failures are asserted, not printed). Imported
// for this effect by every test module that runs workers (the first import installs it).
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';

try {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    // The native core logs its own retries (e.g. while a test restarts the server) at WARN.
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } },
  });
} catch {
  // Already installed by another test module of this process.
}
