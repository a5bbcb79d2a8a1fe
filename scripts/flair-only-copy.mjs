// Copies LGG-layout patients with their pre- and post-contrast channels replaced by FLAIR: exactly what the importer
// gives the model for a FLAIR-only NIfTI or DICOM patient (it fills missing sequences with FLAIR, as the LGG
// dataset itself does). Used to measure the bundled model's FLAIR-only Dice for its card.
// Usage: node scripts/flair-only-copy.mjs <dataset dir> <out dir> <case id>...
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const [source, out, ...caseIds] = process.argv.slice(2);
if (!source || !out || caseIds.length === 0) {
  console.error('usage: node scripts/flair-only-copy.mjs <dataset dir> <out dir> <case id>...');
  process.exit(2);
}
for (const caseId of caseIds) {
  const from = path.join(source, caseId);
  const to = path.join(out, caseId);
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    if (!name.endsWith('.tif')) continue;
    if (name.endsWith('_mask.tif')) {
      copyFileSync(path.join(from, name), path.join(to, name));
      continue;
    }
    const { data, info } = await sharp(path.join(from, name)).raw().toBuffer({ resolveWithObject: true });
    for (let i = 0; i < data.length; i += info.channels) data[i] = data[i + 2] = data[i + 1];
    await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).tiff({ compression: 'none' }).toFile(path.join(to, name));
  }
}
console.log(`${caseIds.length} patients written FLAIR-only to ${out}`);
