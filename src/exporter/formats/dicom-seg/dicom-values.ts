// Values in the text forms DICOM's value representations require (PS3.5 6.2).

/**
 * A DS (decimal string): at most 16 characters. The shortest exact form when it fits, else as many significant
 * digits as fit. Sub-picometre noise (a cosine of 6e-17 for 90°) is written as 0.
 */
export function decimalString(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`${value} cannot be written as a DICOM decimal string`);
  const v = Math.abs(value) < 1e-12 ? 0 : value;
  const shortest = String(v);
  if (shortest.length <= 16) return shortest;
  for (let digits = 15; digits > 0; digits--) {
    const s = v.toPrecision(digits).replace(/(\.\d*?)0+($|e)/, '$1$2').replace(/\.($|e)/, '$1');
    if (s.length <= 16) return s;
  }
  throw new Error(`${value} cannot be written as a DICOM decimal string`);
}

/** A DA in local time (DICOM dates and times are local unless a timezone offset is given). */
export function dicomDate(at: Date): string {
  return `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}`;
}

/** A TM in local time, to the second. */
export function dicomTime(at: Date): string {
  return `${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
