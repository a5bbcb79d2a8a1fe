import { homedir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProgressLine } from '../../src/cli/progress.js';
import { extractHome } from '../../src/cli/main.js';
import { resolveHome } from '../../src/home.js';
import { clinicalRowFor, formatCsv, parseCsv } from '../../src/importer/data-csv.js';
import { runCli, runCliJson } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

describe('brainseg CLI', () => {
  it('prints help, and rejects unknown commands and flags with exit code 2', async () => {
    const home = tempDir();
    const help = await runCli(home, ['help']);
    expect(help.code).toBe(0);
    for (const command of ['import', 'info', 'masks', 'export', 'train', 'models', 'predict', 'eval', 'bench', 'serve']) expect(help.stdout).toContain(`brainseg ${command}`);
    expect((await runCli(home, ['frobnicate'])).code).toBe(2);
    const badFlag = await runCli(home, ['info', '--nope']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/info: .*--nope/);
  });

  it('reports an empty catalog in a new data folder it creates', async () => {
    const home = path.join(tempDir(), 'new', 'home');
    expect((await runCliJson(home, ['info'])).json).toEqual({ home, patients: [] });
  });
});

describe('the data folder', () => {
  it('is --home, else $BRAINSEG_HOME, else ~/.brainseg', async () => {
    expect(resolveHome('/a', { BRAINSEG_HOME: '/b' }).root).toBe('/a');
    expect(resolveHome(undefined, { BRAINSEG_HOME: '/b' })).toEqual({ root: '/b', catalog: '/b/catalog.sqlite', models: '/b/models' });
    expect(resolveHome(undefined, {}).root).toBe(path.join(homedir(), '.brainseg'));
  });

  it('takes --home anywhere on the command line', async () => {
    expect(extractHome(['info', '--home', '/x', '--json'])).toEqual({ home: '/x', database: undefined, rest: ['info', '--json'] });
    expect(extractHome(['--home=/y', 'info'])).toEqual({ home: '/y', database: undefined, rest: ['info'] });
    expect(extractHome(['--database', 'postgres://ana@db/lgg', 'info'])).toEqual({ home: undefined, database: 'postgres://ana@db/lgg', rest: ['info'] });
    expect(() => extractHome(['--database', '/tmp/catalog.sqlite', 'info'])).toThrow(/takes a PostgreSQL URL/);
    expect(() => extractHome(['info', '--home'])).toThrow(/needs a folder/);
  });
});

describe('progress and CSV helpers', () => {
  it('formats a progress line with percentage and time left', async () => {
    expect(formatProgressLine(5, 10, 'P1', 2, 10)).toBe('[#####-----]  50% 5/10 P1 (2.0 s left)');
    expect(formatProgressLine(10, 10, 'P1', 4, 10)).toBe('[##########] 100% 10/10 P1');
  });

  it('parses quoted CSV and finds a case by its TCGA patient prefix', async () => {
    const rows = parseCsv('Patient,note\r\nTCGA_CS_4941,"a, ""quoted"" note"\nTCGA_CS_49,x\n');
    expect(rows).toEqual([['Patient', 'note'], ['TCGA_CS_4941', 'a, "quoted" note'], ['TCGA_CS_49', 'x']]);
    const table = new Map(rows.slice(1).map(([p, note]) => [p!, { Patient: p!, note: note! }]));
    expect(clinicalRowFor(table, 'TCGA_CS_4941_19960909')?.note).toBe('a, "quoted" note');
    expect(clinicalRowFor(table, 'TCGA_CS_4999_19960909')).toBeNull();
    expect(parseCsv(formatCsv([{ Patient: 'A', note: 'x,"y"' }]))).toEqual([['Patient', 'note'], ['A', 'x,"y"']]);
  });
});
