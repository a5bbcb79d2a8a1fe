// The coded concepts a SEG of the workstation's one segment needs (PS3.16). SNOMED CT is "SCT", DICOM's own
// terms "DCM"; neither takes a CodingSchemeVersion.

export interface CodedConcept {
  CodeValue: string;
  CodingSchemeDesignator: string;
  CodeMeaning: string;
}

/** CID 7150 Segmentation Property Categories. */
export const MORPHOLOGICALLY_ABNORMAL_STRUCTURE: CodedConcept = {
  CodeValue: '49755003', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Morphologically abnormal structure',
};

/** The segmented property type within that category (CID 7151 family); dciodvfy accepts it. */
export const LESION: CodedConcept = { CodeValue: '52988006', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Lesion' };

/** CID 4 Anatomic Region: what the lesions lie in. */
export const BRAIN: CodedConcept = { CodeValue: '12738006', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Brain' };

/** CID 7202 Source Image Purposes of Reference: why a frame references its source slice. */
export const SOURCE_FOR_IMAGE_PROCESSING: CodedConcept = {
  CodeValue: '121322', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Source image for image processing operation',
};

/** CID 7203 Image Derivation: how the frame was made from its source. */
export const SEGMENTATION_DERIVATION: CodedConcept = {
  CodeValue: '113076', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Segmentation',
};
