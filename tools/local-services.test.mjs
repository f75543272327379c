// `npm start` and `npm stop` on the real, built services: the services one process starts are found
// and ended from another, and a second start is refused while they run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { answers, root, runningServices, services, startServices, stopRunningServices } from './local-services.mjs';

/** Starts the services in a process of its own, as `npm start` does, and resolves once they are ready. */
function startInAnotherProcess() {
  const starter = spawn(
    process.execPath,
    ['--input-type=module', '-e', "import { startServices } from './tools/local-services.mjs'; await startServices(); console.log('READY'); setInterval(() => {}, 60_000);"],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the services were not ready within 120 s:\n${output}`)), 120_000);
    const read = (chunk) => {
      output += chunk;
      if (output.includes('READY')) {
        clearTimeout(timer);
        resolve();
      }
    };
    starter.stdout.on('data', read);
    starter.stderr.on('data', read);
    starter.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the starting process exited with code ${code}:\n${output}`));
    });
  });
  return { starter, ready };
}

describe('npm start and npm stop', () => {
  it('stops from another process every service one process started, and refuses a second start while they run', { timeout: 180_000 }, async () => {
    const { starter, ready } = startInAnotherProcess();
    try {
      await ready;
      const running = runningServices();
      assert.deepEqual(running.map(({ name }) => name).sort(), services.map(({ name }) => name).sort());
      await assert.rejects(startServices(), /already running from this checkout: npm stop ends them/);

      const stopped = await stopRunningServices();
      assert.equal(stopped.length, services.length);
      for (const { name, pid } of stopped) assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `${name} (pid ${pid}) still runs`);
      for (const { name, port } of services) assert.equal(await answers(port), false, `${name} still answers on ${port}`);
      assert.deepEqual(runningServices(), []);
    } finally {
      await stopRunningServices();
      starter.kill('SIGKILL');
    }
  });
});
