// Builds that run once: Maven jar sets and Go binaries, skipped while their inputs are unchanged.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ProvisioningError } from './provisioning-error.mjs';
import { runCommand, lastLine } from './run-command.mjs';
import { logFile } from './paths.mjs';

export function sha256(text) {
  return createHash('sha256').update(text).digest('hex');
}

function readStamp(path) {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * Copies the dependencies of `pomPath` into `libsDir` with Maven, unless the jars there were resolved
 * from a pom with the same content (its hash is kept in `<libsDir>.pom-sha256`). MAVEN_OPTS and
 * ~/.m2 settings apply as usual, since Maven reads them itself.
 * @returns {Promise<boolean>} whether Maven ran
 */
export async function resolveMavenJars({ component, pomPath, libsDir }) {
  const stampPath = `${libsDir}.pom-sha256`;
  const pomHash = sha256(readFileSync(pomPath));
  const jarsPresent = existsSync(libsDir) && readdirSync(libsDir).some((f) => f.endsWith('.jar'));
  if (jarsPresent && readStamp(stampPath) === pomHash) return false;

  rmSync(libsDir, { recursive: true, force: true });
  rmSync(stampPath, { force: true });
  mkdirSync(dirname(libsDir), { recursive: true });
  const logPath = logFile(component);
  const result = await runCommand(
    'mvn',
    ['-q', '-B', '-ntp', '-Dstyle.color=never', '-f', pomPath, 'dependency:copy-dependencies', `-DoutputDirectory=${libsDir}`],
    { logPath, timeoutMs: 15 * 60_000 },
  );
  if (result.code !== 0) {
    throw new ProvisioningError(`Maven could not resolve the jars of ${pomPath} (exit ${result.code ?? result.signal})`, { component, logPath });
  }
  writeFileSync(stampPath, `${pomHash}\n`);
  return true;
}

/**
 * Builds a Go command from source as upstream's release builds do: `go install <packagePath>@v<version>`
 * with CGO off, no debug info (about 40 MB smaller, and a faster link) and the real version string
 * stamped into `versionVariable`. Go names the binary after the package's last path element; it is
 * moved to `binary`, whose folder holds one version only. GOPATH, GOMODCACHE, GOCACHE, GOPROXY and
 * GOFLAGS come from the environment, so a cold-cache check can point them elsewhere.
 */
export async function goInstall({ component, packagePath, version, versionVariable, binary }) {
  const binDir = dirname(binary);
  mkdirSync(binDir, { recursive: true });
  const logPath = logFile(component);
  const result = await runCommand(
    'go',
    ['install', `-ldflags=-s -w -X ${versionVariable}=${version}`, `${packagePath}@v${version}`],
    { logPath, timeoutMs: 60 * 60_000, env: { ...process.env, CGO_ENABLED: '0', GOBIN: binDir } },
  );
  const installed = join(binDir, basename(packagePath));
  if (result.code !== 0 || !existsSync(installed)) {
    throw new ProvisioningError(`go install ${packagePath}@v${version} failed (${lastLine(result)})`, { component, logPath });
  }
  if (installed !== binary) renameSync(installed, binary);
}
