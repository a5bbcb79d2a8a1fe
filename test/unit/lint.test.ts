// `eslint .` as one of the suite's files, so `npm test` lints while other files wait on their servers and browsers
// instead of before them all (~50 s of CPU, most of it the type-aware rules). The same config and files as
// `npm run lint`; `npm run test:unit` still runs `eslint .` itself, since it leaves this file out.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/sample-data.js';

describe('lint', () => {
  it('eslint . reports no errors and no warnings', async () => {
    const eslint = new ESLint({ cwd: REPO_ROOT });
    const results = await eslint.lintFiles(['.']);
    const problems = results.filter((r) => r.errorCount + r.warningCount + r.fatalErrorCount > 0);
    const report = problems.length ? await (await eslint.loadFormatter('stylish')).format(problems) : '';
    expect(results.length).toBeGreaterThan(100); // it linted the repository, not an empty match
    expect(report).toBe('');
  }, 300_000);
});
