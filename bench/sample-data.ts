// Where the benchmarks find the repository and the LGG sample patients.
import path from 'node:path';

/** The repository (benchmarks run from dist/bench/). */
export const REPO = path.resolve(import.meta.dirname, '../..');

/** The LGG sample patients, beside the repository unless BRAINSEG_SAMPLE_DATA says where. */
export const SAMPLE_DATA = process.env.BRAINSEG_SAMPLE_DATA ?? path.resolve(REPO, '../shared/data/lgg-mri/kaggle_3m');
