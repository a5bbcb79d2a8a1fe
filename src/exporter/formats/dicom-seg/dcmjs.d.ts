// dcmjs ships no types. Only the low-level writer this folder uses is declared, as narrowly as it is used:
// a naturalized dataset (keyword → value) goes through `denaturalizeDataset` into a tag-keyed dict that
// `DicomDict.write` encodes as a Part-10 file.
declare module 'dcmjs' {
  /** A tag-keyed ("0020000D") dataset, as dcmjs reads and writes it. */
  export type DenaturalizedDataset = Record<string, { vr: string; Value: unknown[] }>;

  export interface DicomDictInstance {
    meta: DenaturalizedDataset;
    dict: DenaturalizedDataset;
    /** The whole file: preamble, "DICM", file meta information (group length added), then the dataset. */
    write(options?: { allowInvalidVRLength?: boolean; fragmentMultiframe?: boolean }): ArrayBuffer;
  }

  const dcmjs: {
    data: {
      DicomDict: new (meta: DenaturalizedDataset) => DicomDictInstance;
      DicomMetaDictionary: {
        denaturalizeDataset(dataset: Record<string, unknown>): DenaturalizedDataset;
        /** Keyword → { tag: "(0020,000D)", vr, name, vm }: which keywords the dictionary knows. */
        nameMap: Record<string, { tag: string; vr: string } | undefined>;
      };
    };
  };
  export default dcmjs;
}
