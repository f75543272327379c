import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from '../local-services.mjs';

/**
 * The workshop part: every scenario, naive then correct. They start the services they need
 * themselves (with their pitfall switches), so the demo's own services are stopped first.
 */
export function runScenarios() {
  const cli = join(root, 'scenarios', 'dist', 'cli.js');
  const list = spawnSync(process.execPath, [cli, '--list'], { cwd: root, encoding: 'utf8' });
  const names = [...list.stdout.matchAll(/^\s*\d+\s+(\S+)/gm)].map((m) => m[1]);
  for (const name of names) {
    for (const mode of ['naive', 'correct']) {
      console.log(`\n━━ npm run scenario -- ${name} --mode ${mode}`);
      const run = spawnSync(process.execPath, [cli, name, '--mode', mode], { cwd: root, stdio: 'inherit' });
      if (run.status !== 0) throw new Error(`scenario ${name} (${mode}) did not show what it promises`);
    }
  }
}
