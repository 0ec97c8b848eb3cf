import { parseCovidCsName } from './covid-cs-name';
import { deriveSupervision } from './supervision';

describe('parseCovidCsName', () => {
  it('reads the patient hash and slice index of a COVID-CS file', () => {
    expect(parseCovidCsName('00ee3e7e5ab1a2e3b5a8b8c05a0c2a1e_0042.jpg')).toEqual({ patientId: '00ee3e7e5ab1a2e3b5a8b8c05a0c2a1e', sliceIndex: 42 });
    expect(parseCovidCsName('00EE3E7E5AB1A2E3B5A8B8C05A0C2A1E_0001.JPG')?.patientId).toBe('00ee3e7e5ab1a2e3b5a8b8c05a0c2a1e');
  });

  it('rejects names outside the layout', () => {
    for (const name of ['scan_0001.jpg', '00ee3e7e5ab1a2e3b5a8b8c05a0c2a1_0001.jpg', '00ee3e7e5ab1a2e3b5a8b8c05a0c2a1e-0001.jpg', '00ee3e7e5ab1a2e3b5a8b8c05a0c2a1e_0001.txt']) {
      expect(parseCovidCsName(name)).toBeNull();
    }
  });
});

describe('deriveSupervision', () => {
  it('ranks a mask over a patient label, and keeps negatives and unknowns apart', () => {
    expect(deriveSupervision(true, 'covid')).toBe('pixel');
    expect(deriveSupervision(true, 'unknown')).toBe('pixel');
    expect(deriveSupervision(false, 'covid')).toBe('patient');
    expect(deriveSupervision(false, 'negative')).toBe('negative');
    expect(deriveSupervision(false, 'unknown')).toBe('none');
  });
});
