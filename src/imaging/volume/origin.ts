// Where a volume came from, kept with the patient in the catalog: what export needs to write a result back onto
// the volume's own grid (NIfTI) or to reference the images it was read from (DICOM-SEG).

/** Where a volume came from, with what export needs to write a result back onto its grid and reference it. */
export type VolumeOrigin = NiftiOrigin | DicomOrigin;

export interface NiftiOrigin {
  format: 'nifti';
  file: string;
  /** The file's header bytes (348 for NIfTI-1, 540 for NIfTI-2), base64: export writes a label with the same
   * dims, sform and qform. */
  header: string;
  /** For a 4-D file (MSD), which volume along the 4th axis this is (0-based); else 0. */
  volumeIndex: number;
}

export interface DicomOrigin {
  format: 'dicom';
  patient: { id: string; name: string; birthDate: string; sex: string };
  study: {
    instanceUid: string; date: string; time: string; id: string; accessionNumber: string;
    referringPhysicianName: string; description: string;
  };
  series: {
    instanceUid: string; number: string; description: string; modality: string; frameOfReferenceUid: string;
    manufacturer: string;
  };
  /** The image each slice of the volume (along its k axis, in order) came from. */
  frames: Array<{ sopClassUid: string; sopInstanceUid: string; /** 1-based, for multi-frame objects; else null */ frameNumber: number | null }>;
}
