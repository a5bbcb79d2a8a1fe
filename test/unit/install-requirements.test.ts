// A fresh `npm ci` on the Node the project states must be clean and offline-safe: no dependency that asks for a
// newer Node (npm's EBADENGINE warning), no install script that the allow-list does not decide, and nothing
// fetched from outside the registry. These read the committed lockfile, the very thing `npm ci` installs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { nodeRequirementProblem, requiredNode } from '../../bin/node-requirement.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  allowScripts: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string }; hasInstallScript?: boolean; resolved?: string }>;
};
const installed = Object.entries(lock.packages).filter(([key]) => key.startsWith('node_modules/'));
const nameOf = (key: string) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);

describe('the install on the stated Node', () => {
  const minimum = semver.minVersion(manifest.engines.node)!.version;

  it('has no dependency whose engines exclude the oldest Node the project accepts', () => {
    const tooNew = installed
      .filter(([, entry]) => entry.engines?.node && !semver.satisfies(minimum, entry.engines.node))
      .map(([key, entry]) => `${nameOf(key)}@${entry.version} wants node ${entry.engines!.node}`);
    expect(tooNew).toEqual([]);
  });

  it('decides every install script in the allow-list', () => {
    const undecided = installed.filter(([key, entry]) => entry.hasInstallScript && !(nameOf(key) in manifest.allowScripts));
    expect(undecided.map(([key]) => nameOf(key))).toEqual([]);
  });

  it('fetches every package from the registry (an offline mirror of it suffices)', () => {
    const elsewhere = installed.filter(([, entry]) => entry.resolved && !entry.resolved.startsWith('https://registry.npmjs.org/'));
    expect(elsewhere.map(([key, entry]) => `${nameOf(key)} from ${entry.resolved}`)).toEqual([]);
  });

  it('npm start refuses an older Node with the fix, and accepts the stated one and newer', () => {
    const required = requiredNode(path.join(ROOT, 'package.json'));
    expect(semver.coerce(required)!.version).toBe(minimum);
    const [major, minor] = required.split('.').map(Number) as [number, number];
    expect(nodeRequirementProblem(`${major}.${minor - 1}.9`, required)).toMatch(new RegExp(`needs Node\\.js ${required} or newer`));
    expect(nodeRequirementProblem(`${major - 2}.99.0`, required)).toMatch(/nvm install/);
    expect(nodeRequirementProblem(`${major}.${minor}.0`, required)).toBeNull();
    expect(nodeRequirementProblem(process.versions.node, required)).toBeNull();
    expect(nodeRequirementProblem(`${major + 4}.0.0`, required)).toBeNull();
  });
});
