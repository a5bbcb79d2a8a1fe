// One Node requirement, stated once in package.json's `engines` (">=X.Y[.Z]"); `npm start` checks it first so an
// old Node fails with the fix, not with a syntax error from some dependency.
import { readFileSync } from 'node:fs';

/** The minimum Node version `engines.node` states (">=20.19" → "20.19"). */
export function requiredNode(packageJsonPath) {
  return JSON.parse(readFileSync(packageJsonPath, 'utf8')).engines.node.replace(/^>=\s*/, '');
}

/** Null when `have` satisfies `required`; otherwise the message that says what to do. */
export function nodeRequirementProblem(have, required) {
  const [a, b] = [have, required].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i += 1) {
    if ((a[i] ?? 0) === (b[i] ?? 0)) continue;
    if ((a[i] ?? 0) > (b[i] ?? 0)) return null;
    return `BrainSeg Studio needs Node.js ${required} or newer; this is ${have}. Install a newer Node (https://nodejs.org, or \`nvm install ${required.split('.')[0]}\`), then run npm install again.`;
  }
  return null;
}
