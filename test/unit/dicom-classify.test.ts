// Series classification from vendor wording and acquisition parameters; the reason must name what decided.
import { describe, expect, it } from 'vitest';
import { classifySeries } from '../../src/importer/formats/dicom/classify-series.js';
import type { AcquisitionText } from '../../src/importer/formats/dicom/dicom-header.js';

function acquisition(partial: Partial<AcquisitionText>): AcquisitionText {
  return {
    seriesDescription: '', protocolName: '', sequenceName: '', scanningSequence: '', sequenceVariant: '', imageType: [],
    inversionTime: null, repetitionTime: null, echoTime: null, contrastBolusAgent: '', contrastBolusRoute: '',
    contrastBolusIngredient: '', contrastBolusVolume: null, contrastAdministered: '', ...partial,
  };
}

describe('DICOM series classification', () => {
  const byDescription: Array<[string, string]> = [
    ['AX T2 FLAIR', 'flair'], ['t2_tirm_tra_dark-fluid', 'flair'], ['3D_Brain_VIEW_FLAIR', 'flair'], ['Sag CUBE FLAIR', 'flair'],
    ['t1_mprage_sag_p2_iso', 't1'], ['t1_fl2d_tra', 't1'], ['AX T1 SE', 't1'], ['T1W_3D_TFE', 't1'], ['Sag BRAVO', 't1'],
    ['AX 3D SPGR', 't1'], ['AX T1 PRE', 't1'], ['T1 pre-contrast', 't1'], ['AX T1 FLAIR', 't1'],
    ['T1 SE AX C+', 't1c'], ['MPRAGE POST', 't1c'], ['t1_mprage_tra_Gd', 't1c'], ['T1W_3D_TFE +C', 't1c'],
    ['AX T1 POST GAD', 't1c'], ['Sag BRAVO +C', 't1c'], ['t1_fl2d_tra_post', 't1c'],
    ['t2_tse_tra', 't2'], ['AX FSE T2', 't2'], ['Sag CUBE T2', 't2'],
    ['AX DWI', 'other'], ['ep2d_diff_b1000', 'other'], ['AX SWI', 'other'], ['POSTERIOR FOSSA DWI', 'other'],
  ];
  for (const [description, kind] of byDescription) {
    it(`"${description}" is ${kind}`, () => {
      const result = classifySeries(acquisition({ seriesDescription: description }));
      expect(result.kind).toBe(kind);
      if (kind !== 'other') expect(result.reason).toContain(`SeriesDescription "${description}"`);
    });
  }

  it('falls back to ProtocolName, then to the acquisition parameters, naming the tag and value', () => {
    expect(classifySeries(acquisition({ seriesDescription: 'Series 3', protocolName: 'AX FLAIR' }))).toEqual({ kind: 'flair', reason: 'ProtocolName "AX FLAIR"' });
    expect(classifySeries(acquisition({ inversionTime: 2500, repetitionTime: 9000, echoTime: 120 }))).toEqual({ kind: 'flair', reason: 'InversionTime 2500 ms' });
    expect(classifySeries(acquisition({ inversionTime: 900, scanningSequence: 'GR\\IR', repetitionTime: 2300, echoTime: 3 })).reason).toBe('InversionTime 900 ms with ScanningSequence "GR\\IR"; no contrast named');
    expect(classifySeries(acquisition({ repetitionTime: 500, echoTime: 10 })).kind).toBe('t1');
    expect(classifySeries(acquisition({ repetitionTime: 4000, echoTime: 100 })).kind).toBe('t2');
  });

  it('tells T1c from T1 by the contrast attributes when the names do not say', () => {
    expect(classifySeries(acquisition({ seriesDescription: 'AX T1 SE', contrastBolusAgent: 'Gadavist' }))).toEqual({
      kind: 't1c', reason: 'SeriesDescription "AX T1 SE"; post-contrast: ContrastBolusAgent "Gadavist"',
    });
    expect(classifySeries(acquisition({ seriesDescription: 'AX T1', contrastAdministered: 'YES' })).kind).toBe('t1c');
    // A name that says "pre" beats an agent copied into every series of the exam.
    expect(classifySeries(acquisition({ seriesDescription: 'AX T1 PRE', contrastBolusAgent: 'Gadavist' })).kind).toBe('t1');
  });
});
