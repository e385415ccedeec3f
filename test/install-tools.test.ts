// scripts/apt-install.sh, which installs the Debian packages the tools need: another apt holding
// the dpkg lock (unattended upgrades, another install) makes it wait, not fail.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../client/local-temporal/temporal-cli.js';
import { runCommand } from './support/cli-runner.js';

/** Holds the dpkg frontend lock (as apt does, with fcntl) for `seconds`; resolves once it is held. */
function holdDpkgLock(seconds: number): Promise<{ released: Promise<void> }> {
  const holder = spawn('python3', [
    '-c',
    `import fcntl, sys, time
f = open('/var/lib/dpkg/lock-frontend', 'w')
fcntl.lockf(f, fcntl.LOCK_EX)
print('held', flush=True)
time.sleep(${seconds})`,
  ]);
  const released = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    holder.stdout.once('data', () => resolve({ released }));
    holder.once('exit', (code) =>
      reject(new Error(`could not hold the dpkg lock (exit ${code}); the test runs as root, as CI does`)),
    );
  });
}

describe('scripts/apt-install.sh', function () {
  this.timeout(300_000);

  it('waits for the dpkg lock another apt holds, then installs', async () => {
    const { released } = await holdDpkgLock(5);
    const started = Date.now();
    // chromium: the package the tools script installs (here already, so apt only checks it).
    const result = await runCommand(
      'bash',
      [path.join(projectRoot(), 'scripts', 'apt-install.sh'), 'chromium'],
      process.env,
      240_000,
    );
    const waited = Date.now() - started;
    await released;
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.not.include('Could not get lock');
    expect(waited, 'ms until apt-install.sh was done').to.be.at.least(4_000);
  });
});
