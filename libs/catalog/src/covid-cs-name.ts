/** COVID-CS names each slice `<32-hex patient hash>_<slice index>.jpg`. */
const COVID_CS_NAME = /^([0-9a-f]{32})_(\d{1,6})\.(jpe?g|png)$/i;

export interface CovidCsSliceName {
  patientId: string;
  sliceIndex: number;
}

/** Returns the patient and slice of a COVID-CS file name, or null when the name does not follow the layout. */
export function parseCovidCsName(fileName: string): CovidCsSliceName | null {
  const match = COVID_CS_NAME.exec(fileName);
  if (!match) return null;
  return { patientId: match[1].toLowerCase(), sliceIndex: Number(match[2]) };
}
