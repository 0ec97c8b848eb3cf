import { checkOptions, checkServerImport, type ImportFormValues } from './import-form';

const form = (patch: Partial<ImportFormValues>): ImportFormValues => ({
  sourceKind: 'upload',
  path: '',
  prefix: '',
  format: 'images',
  collection: '',
  labels: '',
  masks: '',
  label: '',
  patient: '',
  maskThreshold: '1',
  ...patch,
});

describe('checkOptions', () => {
  it('sends only what was given and what the format reads', () => {
    expect(checkOptions(form({ masks: ' masks ', label: 'covid', maskThreshold: '128' }))).toEqual({ ok: true, value: { masks: 'masks', label: 'covid', maskThreshold: 128 } });
    // dicom reads no masks, patient or threshold: they are not sent even when typed
    expect(checkOptions(form({ format: 'dicom', masks: 'masks', patient: 'p1', maskThreshold: '0' }))).toEqual({ ok: true, value: { maskThreshold: 1 } });
  });

  it('names each bad field with the API schema’s message', () => {
    const checked = checkOptions(form({ collection: 'no spaces allowed', maskThreshold: '300' }));
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors.collection).toBe('letters, digits, ".", "_" or "-"');
    expect(checked.errors.maskThreshold).toMatch(/255/);
    expect(checkOptions(form({ maskThreshold: 'lots' }))).toMatchObject({ ok: false, errors: { maskThreshold: expect.any(String) } });
  });
});

describe('checkServerImport', () => {
  it('builds the JSON body for a server path or a prefix', () => {
    expect(checkServerImport(form({ sourceKind: 'path', path: '/data/medseg-ct100/manifest.csv', format: 'manifest' }))).toEqual({
      ok: true,
      value: { format: 'manifest', source: { kind: 'path', path: '/data/medseg-ct100/manifest.csv' }, options: { maskThreshold: 1 } },
    });
    expect(checkServerImport(form({ sourceKind: 's3', prefix: 'incoming/set1' }))).toMatchObject({ ok: true, value: { source: { kind: 's3', prefix: 'incoming/set1' } } });
  });

  it('an empty path and a bad option are both named', () => {
    expect(checkServerImport(form({ sourceKind: 'path', maskThreshold: '0' }))).toMatchObject({ ok: false, errors: { path: expect.any(String), maskThreshold: expect.any(String) } });
  });
});
