// IBM code page 437: the encoding ZIP names use when general-purpose flag bit 11 (UTF-8) is not set.
// 0x00–0x7F decode as ASCII (as Windows and Info-ZIP do for file names), 0x80–0xFF from the table below.

const HIGH_HALF =
  'ÇüéâäàåçêëèïîìÄÅ' +
  'ÉæÆôöòûùÿÖÜ¢£¥₧ƒ' +
  'áíóúñÑªº¿⌐¬½¼¡«»' +
  '░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧' +
  '╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩' +
  '≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/** Decodes `bytes[start, end)` as CP437. */
export function decodeCp437(bytes: Buffer, start = 0, end = bytes.length): string {
  // Fast path: pure ASCII names (nearly all of them) decode identically as latin1.
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (bytes[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return bytes.toString('latin1', start, end);
  let text = '';
  for (let i = start; i < end; i++) {
    const byte = bytes[i];
    text += byte < 0x80 ? String.fromCharCode(byte) : HIGH_HALF[byte - 0x80];
  }
  return text;
}
