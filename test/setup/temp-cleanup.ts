// Every test file's temporary folders (test/helpers/temp.ts) go when its tests and the file end. A setup file runs
// for each test file, also where files share their modules (`isolate: false`), so the hooks bind to every file.
import { afterAll, afterEach } from 'vitest';
import { removeFileFolders, removeTestFolders } from '../helpers/temp.js';

afterEach(removeTestFolders);
afterAll(removeFileFolders);
