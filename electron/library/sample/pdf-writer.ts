// A tiny PDF writer: one page per JPEG (a DCTDecode image XObject drawn over the whole page, the way
// scanners and img2pdf write comic PDFs), or a page of Helvetica text; an Info dictionary. Enough for the
// sample library and the format tests, written by us so a user's machine needs no PDF tool.

export type PdfPage =
  | { jpeg: Buffer; width: number; height: number }
  | { text: string[]; width?: number; height?: number };

export interface PdfInfo {
  Title?: string;
  Author?: string;
  Subject?: string;
  Keywords?: string;
  Creator?: string;
}

/** A PDF string: literal when plain ASCII, else UTF-16BE hex with a BOM (PDF 1.7 §7.9.2.2). */
function pdfString(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return `(${value.replace(/[\\()]/g, (c) => `\\${c}`)})`;
  const utf16 = Buffer.from(value, 'utf16le');
  for (let i = 0; i + 1 < utf16.length; i += 2) {
    const low = utf16[i]!;
    utf16[i] = utf16[i + 1]!;
    utf16[i + 1] = low;
  }
  return `<FEFF${utf16.toString('hex').toUpperCase()}>`;
}

export function buildPdf(pages: readonly PdfPage[], info: PdfInfo = {}): Buffer {
  const chunks: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (data: Buffer | string) => {
    const buffer = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    chunks.push(buffer);
    length += buffer.length;
  };
  const object = (id: number, body: Array<Buffer | string>) => {
    offsets[id] = length;
    push(`${id} 0 obj\n`);
    for (const part of body) push(part);
    push('\nendobj\n');
  };

  push('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  // Objects: 1 catalog, 2 page tree, 3 info, 4 font, then per page: page, contents, image (if any).
  const firstPageId = 5;
  const pageIds: number[] = [];
  let next = firstPageId;
  const layout = pages.map((page) => {
    const ids = { page: next, contents: next + 1, image: 'jpeg' in page ? next + 2 : 0 };
    next += 'jpeg' in page ? 3 : 2;
    pageIds.push(ids.page);
    return ids;
  });
  object(1, ['<< /Type /Catalog /Pages 2 0 R >>']);
  object(2, [`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`]);
  const infoEntries = Object.entries(info).filter(([, value]) => typeof value === 'string' && value !== '');
  object(3, [`<< /Producer (Longbox) ${infoEntries.map(([key, value]) => `/${key} ${pdfString(value as string)}`).join(' ')} >>`]);
  object(4, ['<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>']);

  pages.forEach((page, i) => {
    const ids = layout[i]!;
    const width = page.width ?? 612;
    const height = page.height ?? 792;
    let content: string;
    let resources: string;
    if ('jpeg' in page) {
      content = `q ${width} 0 0 ${height} 0 0 cm /Im0 Do Q`;
      resources = `<< /XObject << /Im0 ${ids.image} 0 R >> >>`;
    } else {
      const lines = page.text.map((line, n) => `BT /F1 14 Tf 72 ${height - 72 - n * 20} Td ${pdfString(line)} Tj ET`);
      content = lines.join('\n');
      resources = '<< /Font << /F1 4 0 R >> >>';
    }
    object(ids.page, [`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /Resources ${resources} /Contents ${ids.contents} 0 R >>`]);
    object(ids.contents, [`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n`, content, '\nendstream']);
    if ('jpeg' in page) {
      object(ids.image, [
        `<< /Type /XObject /Subtype /Image /Width ${page.width} /Height ${page.height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${page.jpeg.length} >>\nstream\n`,
        page.jpeg,
        '\nendstream',
      ]);
    }
  });

  const xrefAt = length;
  const count = next;
  let xref = `xref\n0 ${count}\n0000000000 65535 f \n`;
  for (let id = 1; id < count; id++) xref += `${String(offsets[id] ?? 0).padStart(10, '0')} 00000 n \n`;
  push(xref);
  push(`trailer\n<< /Size ${count} /Root 1 0 R /Info 3 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`);
  return Buffer.concat(chunks);
}
