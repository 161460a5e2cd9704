/**
 * What a paper's link column may hold as an attached file (sync/steps/file-types.ts) and where the model lets the
 * site serve it from (src/model/fields.ts `editionFileField`): told by content, never HTML or SVG, whole files only,
 * never outside the edition's files/ folder.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { editionFileField, paperSchema } from '../../src/model/index.ts';
import { acceptedLabel, ACCEPTED, isWholeFile, sniffFileType } from '../../sync/steps/file-types.ts';

const PDF = readFileSync(new URL('../../dev/demo/files/session-context-embedding.pdf', import.meta.url));
const JPEG = readFileSync(new URL('../../dev/demo/photos/alex-example.jpg', import.meta.url));
const text = (s: string) => new Uint8Array(Buffer.from(s));

describe('file types by content', () => {
  it('knows a PDF and a JPEG by their bytes, whatever they are called', async () => {
    assert.equal(await sniffFileType(PDF), 'application/pdf');
    assert.equal(await sniffFileType(JPEG), 'image/jpeg');
    assert.ok(isWholeFile(PDF, 'application/pdf'));
  });

  it('refuses HTML, SVG, a script, a program and a PDF behind a byte-order mark', async () => {
    for (const bytes of [
      text('<!doctype html><html><script>alert(document.cookie)</script></html>'),
      text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      text('#!/bin/sh\nrm -rf ~\n'),
      new Uint8Array([0x4d, 0x5a, 0x90, 0x00, ...new Array<number>(200).fill(0)]), // a Windows program (MZ)
      new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), PDF])),
    ]) {
      assert.equal(await sniffFileType(bytes), undefined, Buffer.from(bytes.subarray(0, 20)).toString('latin1'));
    }
  });

  it('refuses a PDF cut short, or something else after a PDF header', () => {
    assert.equal(isWholeFile(PDF.subarray(0, PDF.length - 200), 'application/pdf'), false);
    assert.equal(isWholeFile(text(`%PDF-1.4\n<html>${'x'.repeat(2000)}</html>`), 'application/pdf'), false);
  });

  it('accepts a PDF only in the PDF column; documents the lists', () => {
    assert.deepEqual(ACCEPTED.pdf, ['application/pdf']);
    assert.equal(acceptedLabel('pdf'), 'PDF');
    assert.equal(acceptedLabel('code'), 'ZIP');
    assert.equal(acceptedLabel('slides'), 'PDF, PowerPoint (.pptx), Keynote, OpenDocument presentation (.odp), PNG or JPEG');
    for (const types of Object.values(ACCEPTED)) assert.ok(types.every((t) => !/html|svg|javascript|octet-stream|^text\//.test(t)));
  });
});

describe("a paper's files in the model", () => {
  const paper = { id: '12', title: 'A Paper', authors: ['Ada Lovelace'] };

  it("are files of the edition's files/ folder", () => {
    assert.ok(paperSchema.safeParse({ ...paper, files: { pdf: './files/12-pdf-1a2b3c4d5e.pdf' } }).success);
    assert.ok(editionFileField.safeParse('./files/12.1-slides-0a.pptx').success);
  });

  it('never leave it, and never name a type the site must not serve', () => {
    for (const file of [
      './files/../people.json.pdf',
      './files/..pdf',
      '../2023_1/files/12.pdf',
      '/etc/passwd.pdf',
      'files/12.pdf',
      './files/sub/12.pdf',
      './files/12.html',
      './files/12.svg',
      './files/12.pdf.exe',
      'https://example.org/12.pdf',
      './files/.hidden.pdf',
    ]) {
      assert.equal(editionFileField.safeParse(file).success, false, file);
      assert.equal(paperSchema.safeParse({ ...paper, files: { pdf: file } }).success, false, file);
    }
  });
});
