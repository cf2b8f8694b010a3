// The same good chain and key laid out in many ways, as hand-edited, concatenated or Windows-saved PEM files
// come: CRLF, no final newline, text around and between blocks, blank lines, indentation, headers, stray or
// damaged BEGIN/END lines, foreign blocks. Which of them BoringSSL reads is what our layout check must mirror.
import type { TestPki } from '../../support/pki.js';

export interface PemVariant {
  what: string;
  crt: string;
  key: string;
}

export function pemVariants(pki: TestPki): PemVariant[] {
  const leaf = pki.pem['leaf.crt'];
  const inter = pki.pem['inter.crt'];
  const key = pki.pem['leaf.key'];
  const chain = leaf + inter;
  const lines = (pem: string) => pem.split('\n');
  const body = (pem: string) => lines(pem).slice(1, -2);
  const crt = (what: string, text: string): PemVariant => ({ what: `tls.crt: ${what}`, crt: text, key });
  const k = (what: string, text: string): PemVariant => ({ what: `tls.key: ${what}`, crt: chain, key: text });
  return [
    crt('plain', chain),
    crt('CRLF line ends', chain.replace(/\n/g, '\r\n')),
    crt('no final newline', chain.trimEnd()),
    crt(
      'Bag Attributes text before each block',
      `Bag Attributes\n    localKeyID: 01\n${leaf}subject=/CN=inter\n${inter}`,
    ),
    crt('blank lines between blocks', `${leaf}\n\n${inter}`),
    crt('a line of dashes between blocks', `${leaf}-----\n${inter}`),
    crt('trailing text', `${chain}trailing words\n`),
    crt('a stray END line after the blocks', `${chain}-----END CERTIFICATE-----\n`),
    crt('trailing spaces on every line', chain.replace(/\n/g, '  \n')),
    crt('trailing spaces after BEGIN and END', chain.replace(/-----\n/g, '-----   \n')),
    crt('the body on one long line', `${lines(leaf)[0]}\n${body(leaf).join('')}\n-----END CERTIFICATE-----\n${inter}`),
    crt('a tab inside a body line', leaf.replace('\nMII', '\nMI\tI') + inter),
    crt(
      'indented body and END lines',
      `${lines(leaf)[0]}\n${lines(leaf)
        .slice(1)
        .map((l) => (l ? ` ${l}` : l))
        .join('\n')}${inter}`,
    ),
    crt('a space before BEGIN', ` ${chain}`),
    crt('a blank line before the body', leaf.replace(/\n/, '\n\n') + inter),
    crt(
      'a blank line in the middle of a body',
      `${lines(leaf)[0]}\n${body(leaf)[0]}\n\n${body(leaf).slice(1).join('\n')}\n-----END CERTIFICATE-----\n${inter}`,
    ),
    crt('a header inside a block', leaf.replace(/\n/, '\nX-Note: hi\n\n') + inter),
    crt(
      'padding in the middle of a body',
      `${lines(leaf)[0]}\n${body(leaf)[0].slice(0, -2)}==\n${body(leaf).slice(1).join('\n')}\n-----END CERTIFICATE-----\n${inter}`,
    ),
    crt('an END label that differs', leaf + inter.replace('END CERTIFICATE', 'END CERTIFICATEX')),
    crt('a damaged END line', leaf.replace('-----END', '-----ENé') + inter),
    crt('a NUL in an END line', leaf.replace('-----END', '-----E\u0000D') + inter),
    crt('a damaged BEGIN label', leaf + inter.replace('BEGIN CERTIFICATE', 'BEGIN CE/TIFICATE')),
    crt(
      'a BEGIN line twice',
      leaf + inter.replace('-----BEGIN CERTIFICATE-----', '-----BEGIN CERTIFICATE-----\n-----BEGIN CERTIFICATE-----'),
    ),
    crt('an empty block', `${chain}-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n`),
    crt('an unterminated block', `${leaf}${inter.replace('-----END CERTIFICATE-----\n', '')}`),
    crt('a certificate block of junk', `${chain}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`),
    k('plain', key),
    k('CRLF line ends', key.replace(/\n/g, '\r\n')),
    k('text around the block', `junk before\n${key}junk after\n`),
    k('a certificate before the key', leaf + key),
    k(
      'EC PARAMETERS before the key',
      `-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n${key}`,
    ),
    k('a damaged END line', key.replace('-----END', '-----ENé')),
    k('a blank line before the body', key.replace(/\n/, '\n\n')),
    k(
      'a blank line in the middle of the body',
      `${lines(key)[0]}\n${body(key)[0]}\n\n${body(key).slice(1).join('\n')}\n${lines(key).at(-2)}\n`,
    ),
  ];
}
