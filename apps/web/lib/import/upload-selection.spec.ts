import { addToSelection, EMPTY_SELECTION, guessFormat } from './upload-selection';

const file = (path: string, size = 3) => ({ blob: new Blob([new Uint8Array(size)]), path });

describe('addToSelection', () => {
  it('takes the picked folder off its files’ paths and names the upload after it; files added later lie beside them', () => {
    const picked = addToSelection(EMPTY_SELECTION, [file('medseg-ct100/images/a.png', 5), file('medseg-ct100/masks/a.png', 2), file('medseg-ct100/manifest.csv')]);
    expect(picked.folder).toBe('medseg-ct100');
    expect(picked.files.map((f) => f.path)).toEqual(['images/a.png', 'manifest.csv', 'masks/a.png']);
    expect(picked.bytes).toBe(10);
    const more = addToSelection(picked, [file('corrupt.png', 4)]);
    expect(more.folder).toBe('medseg-ct100');
    expect(more.files.map((f) => f.path)).toEqual(['corrupt.png', 'images/a.png', 'manifest.csv', 'masks/a.png']);
  });

  it('keeps paths as they are when the files share no folder, and the newest file of a path chosen twice', () => {
    const newer = file('b.png', 9);
    const selection = addToSelection(addToSelection(EMPTY_SELECTION, [file('a.png'), file('b.png'), file('set/c.png')]), [newer]);
    expect(selection.folder).toBeNull();
    expect(selection.files.map((f) => f.path)).toEqual(['a.png', 'b.png', 'set/c.png']);
    expect(selection.files[1].blob).toBe(newer.blob);
    expect(selection.bytes).toBe(15);
  });

  it('leaves out hidden system files and cleans separators', () => {
    const selection = addToSelection(EMPTY_SELECTION, [file('set\\images\\a.png'), file('set/.DS_Store'), file('set/.git/config'), file('set/Thumbs.db'), file('./set//b.png')]);
    expect(selection.files.map((f) => f.path)).toEqual(['b.png', 'images/a.png']);
    expect(selection.folder).toBe('set');
    expect(selection.hidden).toBe(3);
  });
});

describe('guessFormat', () => {
  it('a folder with manifest.csv is a manifest import (medseg-ct100)', () => {
    expect(guessFormat(['images/tr_im_0000.png', 'manifest.csv', 'masks/tr_mask_0000.png'])).toMatchObject({ format: 'manifest', options: {} });
  });

  it('images with a masks folder and a labels CSV beside them', () => {
    expect(guessFormat(['images/a_1.png', 'masks/a_1.png', 'labels.csv'])).toEqual({ format: 'images', options: { masks: 'masks', labels: 'labels.csv' }, why: 'PNG/JPEG images; masks in masks/, labels in labels.csv' });
  });

  it('COVID-CS names, NIfTI volumes, DICOM files, and nothing for files no importer reads', () => {
    expect(guessFormat(['0c1b216c7ca5d9db41f98b95eff110b8_0149.jpg', 'soft-masks/0c1b216c7ca5d9db41f98b95eff110b8_0149.png'])).toMatchObject({ format: 'covid-cs', options: { masks: 'soft-masks' } });
    expect(guessFormat(['ct/p1.nii.gz', 'labels/p1.nii.gz'])).toMatchObject({ format: 'nifti', options: { masks: 'labels' } });
    expect(guessFormat(['series/IM0001', 'series/IM0002'])).toMatchObject({ format: 'dicom' });
    expect(guessFormat(['notes.docx'])).toBeNull();
    expect(guessFormat([])).toBeNull();
  });
});
