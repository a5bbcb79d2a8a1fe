// The DICOM-SEG writer's parts without outside tools: bit packing, decimal strings, the frame geometry taken
// from a volume's affine, refusal of inconsistent input, and the written file read back with dicom-parser.
// dicom-seg-validators.test.ts checks the same files with dciodvfy, dcmtk and pydicom.
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { decimalString } from '../../src/exporter/formats/dicom-seg/dicom-values.js';
import { DicomSegError, encodeDicomSeg, type DicomSegInput } from '../../src/exporter/formats/dicom-seg/encode.js';
import { frameGeometry } from '../../src/exporter/formats/dicom-seg/frame-geometry.js';
import { packBits } from '../../src/exporter/formats/dicom-seg/pack-bits.js';
import { newUid } from '../../src/exporter/formats/dicom-seg/uid.js';

function input(overrides: Partial<DicomSegInput> = {}): DicomSegInput {
  const dims = [5, 3, 2] as const;
  const mask = new Uint8Array(30);
  mask[0] = 1;
  mask[14] = 1; // the last pixel of frame 0
  mask[15] = 1; // the first of frame 1, in the same byte: 1-bit frames are not byte aligned
  return {
    origin: {
      format: 'dicom',
      patient: { id: 'P1', name: 'Doe^Jane', birthDate: '19800101', sex: 'F' },
      study: { instanceUid: '1.2.3.4', date: '20240101', time: '120000', id: 'S1', accessionNumber: 'A1', referringPhysicianName: '', description: '' },
      series: { instanceUid: '1.2.3.4.5', number: '3', description: 'AX FLAIR', modality: 'MR', frameOfReferenceUid: '1.2.3.4.6', manufacturer: 'X' },
      frames: [
        { sopClassUid: '1.2.840.10008.5.1.4.1.1.4', sopInstanceUid: '1.2.3.4.5.1', frameNumber: null },
        { sopClassUid: '1.2.840.10008.5.1.4.1.1.4', sopInstanceUid: '1.2.3.4.5.2', frameNumber: null },
      ],
    },
    geometry: { dims, affine: [0.5, 0, 0, -10, 0, 0.75, 0, 20, 0, 0, 3, 30, 0, 0, 0, 1] },
    mask,
    algorithmType: 'MANUAL',
    ...overrides,
  };
}

describe('packBits', () => {
  it('puts the first pixel in the lowest bit, runs frames on without padding and pads the whole to even length', () => {
    const mask = new Uint8Array(17);
    for (const p of [0, 7, 9, 16]) mask[p] = 1;
    expect([...packBits(mask)]).toEqual([0b1000_0001, 0b0000_0010, 0b0000_0001, 0]);
    expect(packBits(new Uint8Array(16))).toHaveLength(2);
  });
});

describe('decimalString', () => {
  it('writes at most 16 characters, the shortest exact form when it fits', () => {
    expect(decimalString(0.5)).toBe('0.5');
    expect(decimalString(-12.25)).toBe('-12.25');
    expect(decimalString(6.123233995736766e-17)).toBe('0');
    for (const v of [0.9781476007338057, -0.20791169081775934, 123456.78901234567, -1e-9, 1e21, Math.PI * 1e13]) {
      const s = decimalString(v);
      expect(s.length).toBeLessThanOrEqual(16);
      expect(Number(s)).toBeCloseTo(v, Math.abs(v) > 1e6 ? -8 : 8);
    }
  });
});

describe('frameGeometry', () => {
  it('takes the orientation from the i and j columns, spacing as [row step, column step], positions at (0, 0, k)', () => {
    const g = frameGeometry([4, 3, 2], [0, 0, 2, 5, 0.8, 0, 0, 6, 0, -0.6, 0, 7, 0, 0, 0, 1]);
    expect(g.orientation).toEqual([0, 1, 0, 0, 0, -1]);
    expect(g.pixelSpacing).toEqual([0.6, 0.8]);
    expect(g.sliceSpacing).toBe(2);
    expect(g.positions).toEqual([[5, 6, 7], [7, 6, 7]]);
  });

  it('refuses a grid whose i and j axes are not perpendicular', () => {
    expect(() => frameGeometry([2, 2, 2], [1, 0.1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toThrow(/not perpendicular/);
  });
});

describe('encodeDicomSeg', () => {
  it('gives every SEG new UIDs under 2.25', () => {
    expect(newUid()).toMatch(/^2\.25\.[1-9]\d{0,38}$/);
    const a = dicomParser.parseDicom(encodeDicomSeg(input()));
    const b = dicomParser.parseDicom(encodeDicomSeg(input()));
    expect(a.string('x00080018')).not.toBe(b.string('x00080018'));
    expect(a.string('x0020000e')).not.toBe(b.string('x0020000e'));
  });

  it('writes a Part-10 file that reads back with the source\'s identity, the frames and the packed pixels', () => {
    const bytes = encodeDicomSeg(input({ algorithmType: 'AUTOMATIC', algorithmName: 'BrainSeg U-Net model 3', now: new Date(2024, 0, 2, 3, 4, 5) }));
    expect(Buffer.from(bytes.subarray(128, 132)).toString('latin1')).toBe('DICM');
    const ds = dicomParser.parseDicom(bytes);
    expect(ds.string('x00020010')).toBe('1.2.840.10008.1.2.1');
    expect(ds.string('x00080016')).toBe('1.2.840.10008.5.1.4.1.1.66.4');
    expect(ds.string('x00080060')).toBe('SEG');
    expect(ds.string('x0020000d')).toBe('1.2.3.4');
    expect(ds.string('x00200052')).toBe('1.2.3.4.6');
    expect(ds.string('x00100020')).toBe('P1');
    expect(ds.string('x00080023')).toBe('20240102');
    expect(ds.string('x00080033')).toBe('030405');
    expect([ds.uint16('x00280010'), ds.uint16('x00280011'), ds.intString('x00280008')]).toEqual([3, 5, 2]);
    const segment = ds.elements['x00620002']!.items![0]!.dataSet!;
    expect([segment.string('x00620005'), segment.string('x00620008'), segment.string('x00620009')])
      .toEqual(['FLAIR abnormality', 'AUTOMATIC', 'BrainSeg U-Net model 3']);
    const frames = ds.elements['x52009230']!.items!.map((item) => item.dataSet!);
    const position = (k: number) => {
      const plane = frames[k]!.elements['x00209113']!.items![0]!.dataSet!;
      return [0, 1, 2].map((n) => plane.floatString('x00200032', n));
    };
    expect([position(0), position(1)]).toEqual([[-10, 20, 30], [-10, 20, 33]]);
    const source = frames[1]!.elements['x00089124']!.items![0]!.dataSet!.elements['x00082112']!.items![0]!.dataSet!;
    expect(source.string('x00081155')).toBe('1.2.3.4.5.2');
    expect(source.elements['x00081160']).toBeUndefined();
    const pixels = ds.elements['x7fe00010']!;
    expect([...bytes.subarray(pixels.dataOffset, pixels.dataOffset + pixels.length)]).toEqual([0b0000_0001, 0b1100_0000, 0, 0]);
  });

  it('refuses input that cannot make a valid SEG, saying why', () => {
    const ok = input();
    expect(() => encodeDicomSeg({ ...ok, mask: new Uint8Array(29) })).toThrow(DicomSegError);
    expect(() => encodeDicomSeg({ ...ok, mask: new Uint8Array(29) })).toThrow(/holds 29 voxels/);
    expect(() => encodeDicomSeg({ ...ok, origin: { ...ok.origin, frames: ok.origin.frames.slice(1) } })).toThrow(/1 images but the grid 2 slices/);
    expect(() => encodeDicomSeg({ ...ok, algorithmType: 'SEMIAUTOMATIC' })).toThrow(/needs the algorithm's name/);
    expect(() => encodeDicomSeg({ ...ok, origin: { ...ok.origin, series: { ...ok.origin.series, frameOfReferenceUid: '' } } })).toThrow(/FrameOfReferenceUID/);
    expect(() => encodeDicomSeg({ ...ok, seriesDescription: 'x'.repeat(65) })).toThrow(/longer than 64/);
    expect(() => encodeDicomSeg({ ...ok, geometry: { ...ok.geometry, affine: [1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1] } })).toThrow(/not perpendicular/);
  });
});
