// The Segmentation IOD (PS3.3 A.51) as a dcmjs naturalized dataset: keyword → value, sequences as arrays of
// items. One segment, one frame per source slice, each frame referencing the slice it was drawn on.
import type { DicomOrigin } from '../../../importer/formats/volume-format.js';
import {
  BRAIN, LESION, MORPHOLOGICALLY_ABNORMAL_STRUCTURE, SEGMENTATION_DERIVATION, SOURCE_FOR_IMAGE_PROCESSING,
} from './codes.js';
import { decimalString, dicomDate, dicomTime } from './dicom-values.js';
import type { FrameGeometry } from './frame-geometry.js';

export const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';

export const MANUFACTURER = 'BrainSeg Studio';

/** The workstation's mask colour (src/editing/overlays.ts, sRGB 255 214 10) as PS3.3 C.10.7.1.1 scaled CIELab (D50). */
const MASK_COLOUR_CIELAB = [57166, 33782, 54885];

export const SEGMENT_LABEL = 'FLAIR abnormality';

// Attributes of the dimension index (PS3.3 C.7.6.17): each frame is placed by its segment and its position.
const REFERENCED_SEGMENT_NUMBER = 0x0062000b;
const SEGMENT_IDENTIFICATION_SEQUENCE = 0x0062000a;
const IMAGE_POSITION_PATIENT = 0x00200032;
const PLANE_POSITION_SEQUENCE = 0x00209113;

export interface SegmentationFields {
  origin: DicomOrigin;
  rows: number;
  columns: number;
  geometry: FrameGeometry;
  pixelData: Uint8Array;
  algorithmType: 'MANUAL' | 'SEMIAUTOMATIC' | 'AUTOMATIC';
  algorithmName: string | undefined;
  contentCreatorName: string;
  seriesDescription: string;
  seriesNumber: number;
  softwareVersion: string;
  deviceSerialNumber: string;
  now: Date;
  uids: { series: string; instance: string; dimensionOrganization: string };
}

export function segmentationDataset(f: SegmentationFields): Record<string, unknown> {
  const date = dicomDate(f.now);
  const time = dicomTime(f.now);
  return {
    // SOP Common
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: SEGMENTATION_STORAGE,
    SOPInstanceUID: f.uids.instance,
    InstanceCreationDate: date,
    InstanceCreationTime: time,
    // Patient and General Study: the source's, so the SEG files under the same patient and study.
    PatientName: f.origin.patient.name,
    PatientID: f.origin.patient.id,
    PatientBirthDate: f.origin.patient.birthDate,
    PatientSex: f.origin.patient.sex,
    StudyInstanceUID: f.origin.study.instanceUid,
    StudyDate: f.origin.study.date,
    StudyTime: f.origin.study.time,
    StudyID: f.origin.study.id,
    AccessionNumber: f.origin.study.accessionNumber,
    ReferringPhysicianName: f.origin.study.referringPhysicianName,
    StudyDescription: f.origin.study.description,
    // General Series and Segmentation Series
    Modality: 'SEG',
    SeriesInstanceUID: f.uids.series,
    SeriesNumber: f.seriesNumber,
    SeriesDate: date,
    SeriesTime: time,
    SeriesDescription: f.seriesDescription,
    // Frame of Reference: the source's, so the frames' positions mean the same place in the patient.
    FrameOfReferenceUID: f.origin.series.frameOfReferenceUid,
    PositionReferenceIndicator: '',
    // General Equipment and Enhanced General Equipment: what made this object, not the scanner.
    Manufacturer: MANUFACTURER,
    ManufacturerModelName: MANUFACTURER,
    DeviceSerialNumber: f.deviceSerialNumber,
    SoftwareVersions: f.softwareVersion,
    // General Image
    InstanceNumber: 1,
    ContentDate: date,
    ContentTime: time,
    // Image Pixel and Segmentation Image
    ImageType: ['DERIVED', 'PRIMARY'],
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: f.rows,
    Columns: f.columns,
    BitsAllocated: 1,
    BitsStored: 1,
    HighBit: 0,
    PixelRepresentation: 0,
    LossyImageCompression: '00',
    SegmentationType: 'BINARY',
    ContentLabel: 'FLAIR_ABNORMAL',
    ContentDescription: 'FLAIR abnormality (lesion) mask',
    ContentCreatorName: f.contentCreatorName,
    SegmentSequence: [segment(f)],
    // Multi-frame Functional Groups and Multi-frame Dimension
    NumberOfFrames: f.geometry.positions.length,
    SharedFunctionalGroupsSequence: [sharedFunctionalGroups(f.geometry)],
    PerFrameFunctionalGroupsSequence: f.origin.frames.map((source, k) => perFrameFunctionalGroups(f.geometry, source, k)),
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: f.uids.dimensionOrganization }],
    DimensionIndexSequence: [
      dimension(f.uids.dimensionOrganization, REFERENCED_SEGMENT_NUMBER, SEGMENT_IDENTIFICATION_SEQUENCE, 'Segment Number'),
      dimension(f.uids.dimensionOrganization, IMAGE_POSITION_PATIENT, PLANE_POSITION_SEQUENCE, 'Image Position Patient'),
    ],
    // Common Instance Reference: every source instance, once.
    ReferencedSeriesSequence: [{
      SeriesInstanceUID: f.origin.series.instanceUid,
      ReferencedInstanceSequence: distinctInstances(f.origin.frames).map((frame) => ({
        ReferencedSOPClassUID: frame.sopClassUid,
        ReferencedSOPInstanceUID: frame.sopInstanceUid,
      })),
    }],
    PixelData: [f.pixelData.buffer.slice(f.pixelData.byteOffset, f.pixelData.byteOffset + f.pixelData.byteLength)],
    // Pixel Data may be OB or OW; 1-bit data is a byte stream.
    _vrMap: { PixelData: 'OB' },
  };
}

function segment(f: SegmentationFields): Record<string, unknown> {
  return {
    SegmentNumber: 1,
    SegmentLabel: SEGMENT_LABEL,
    SegmentAlgorithmType: f.algorithmType,
    ...(f.algorithmName === undefined ? {} : { SegmentAlgorithmName: f.algorithmName }),
    SegmentedPropertyCategoryCodeSequence: [MORPHOLOGICALLY_ABNORMAL_STRUCTURE],
    SegmentedPropertyTypeCodeSequence: [LESION],
    AnatomicRegionSequence: [BRAIN],
    RecommendedDisplayCIELabValue: MASK_COLOUR_CIELAB,
  };
}

function sharedFunctionalGroups(geometry: FrameGeometry): Record<string, unknown> {
  return {
    PlaneOrientationSequence: [{ ImageOrientationPatient: geometry.orientation.map(decimalString) }],
    PixelMeasuresSequence: [{
      PixelSpacing: geometry.pixelSpacing.map(decimalString),
      SliceThickness: decimalString(geometry.sliceSpacing),
      SpacingBetweenSlices: decimalString(geometry.sliceSpacing),
    }],
  };
}

function perFrameFunctionalGroups(geometry: FrameGeometry, source: DicomOrigin['frames'][number], k: number): Record<string, unknown> {
  return {
    // Index values are 1-based; positions are numbered in the volume's k order, which is their order in space.
    FrameContentSequence: [{ DimensionIndexValues: [1, k + 1] }],
    PlanePositionSequence: [{ ImagePositionPatient: geometry.positions[k]!.map(decimalString) }],
    DerivationImageSequence: [{
      SourceImageSequence: [{
        ReferencedSOPClassUID: source.sopClassUid,
        ReferencedSOPInstanceUID: source.sopInstanceUid,
        ...(source.frameNumber === null ? {} : { ReferencedFrameNumber: source.frameNumber }),
        PurposeOfReferenceCodeSequence: [SOURCE_FOR_IMAGE_PROCESSING],
      }],
      DerivationCodeSequence: [SEGMENTATION_DERIVATION],
    }],
    SegmentIdentificationSequence: [{ ReferencedSegmentNumber: 1 }],
  };
}

function dimension(organization: string, pointer: number, group: number, label: string): Record<string, unknown> {
  return {
    DimensionOrganizationUID: organization,
    DimensionIndexPointer: pointer,
    FunctionalGroupPointer: group,
    DimensionDescriptionLabel: label,
  };
}

function distinctInstances(frames: DicomOrigin['frames']): DicomOrigin['frames'] {
  const seen = new Set<string>();
  return frames.filter((frame) => !seen.has(frame.sopInstanceUid) && seen.add(frame.sopInstanceUid));
}
