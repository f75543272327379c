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
 * Runs one `go` build with CGO off, its output appended to the component's log; fails naming that
 * log unless the build succeeded and left `output` behind. GOPATH, GOMODCACHE, GOCACHE, GOPROXY and
 * GOFLAGS come from the environment, so a cold-cache check can point them elsewhere.
 */
async function runGoBuild({ component, args, cwd, env = {}, output, description, signal }) {
  const logPath = logFile(component);
  const result = await runCommand('go', args, {
    cwd,
    logPath,
    timeoutMs: 60 * 60_000,
    env: { ...process.env, CGO_ENABLED: '0', ...env },
    signal,
  });
  if (result.code !== 0 || !existsSync(output)) {
    throw new ProvisioningError(`${description} failed (${lastLine(result)})`, { component, logPath });
  }
}

/** Upstream's release flags: no debug info (about 40 MB smaller, and a faster link), the real version stamped. */
const releaseLinkFlags = (versionVariable, version) => `-ldflags=-s -w -X ${versionVariable}=${version}`;

/**
 * Builds a Go command from source as upstream's release builds do: `go install <packagePath>@v<version>`
 * with the version string `version` stamped into `versionVariable`. Go names the binary after the
 * package's last path element; it is moved to `binary`, whose folder holds one version only.
 */
export async function goInstall({ component, packagePath, version, versionVariable, binary, signal }) {
  const binDir = dirname(binary);
  mkdirSync(binDir, { recursive: true });
  const installed = join(binDir, basename(packagePath));
  await runGoBuild({
    component,
    args: ['install', releaseLinkFlags(versionVariable, version), `${packagePath}@v${version}`],
    env: { GOBIN: binDir },
    output: installed,
    description: `go install ${packagePath}@v${version}`,
    signal,
  });
  if (installed !== binary) renameSync(installed, binary);
}

/**
 * Builds a Go command declared as a `tool` of the module in `moduleDir` (its go.mod and go.sum pin
 * every dependency): `go build -o <binary> <packagePath>` run inside that module. This is the way
 * to build a command whose own go.mod has `replace` directives, which `go install pkg@version`
 * refuses. `version` is stamped into `versionVariable` as in goInstall. Aborting `signal` stops a
 * build (in both).
 */
export async function goBuildTool({ component, moduleDir, packagePath, version, versionVariable, binary, signal }) {
  mkdirSync(dirname(binary), { recursive: true });
  await runGoBuild({
    component,
    args: ['build', releaseLinkFlags(versionVariable, version), '-o', binary, packagePath],
    cwd: moduleDir,
    output: binary,
    description: `go build ${packagePath} in ${moduleDir}`,
    signal,
  });
}
