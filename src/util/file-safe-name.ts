/**
 * A case id as a file or folder name: DICOM PatientIDs may hold characters no file system takes, and a leading dot
 * would hide the file.
 */
export function fileSafeName(caseId: string): string {
  return caseId.replace(/[^\w.-]/g, '_').replace(/^\.+/, '_') || 'patient';
}
