// The published config format: pack → parts → unpack is the identity for any text and any part size; a
// missing, reordered or altered part is detected (the Envoy pod's init step reading it: test/manifests/init-step.test.ts).
import { expect } from 'chai';
import fc from 'fast-check';
import { PART_BYTES, UnpackError, packConfig, unpackConfig } from '../../operator/publish/config-chunks.js';
import { packedFiles } from '../support/packed-files.js';
import { groupCertFiles } from '../../operator/publish/cert-sets.js';
import { propertyRuns } from '../support/property-runs.js';

describe('publish: the chunked config format', () => {
  it('round-trips any text at any part size (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 3000 }),
        fc.integer({ min: 1, max: 400 }),
        (text, partBytes) => {
          const p = packConfig(text, partBytes);
          expect(p.parts.every((x) => x.bytes.length <= partBytes && x.bytes.length > 0)).to.equal(true);
          expect(unpackConfig(packedFiles(text, partBytes))).to.equal(text);
        },
      ),
      { numRuns: propertyRuns(300) },
    );
  });

  it('detects a missing, swapped or altered part (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 200, maxLength: 2000 }),
        fc.integer({ min: 8, max: 64 }),
        fc.nat(),
        fc.constantFrom('drop', 'swap', 'flip'),
        (text, partBytes, pick, how) => {
          const files = packedFiles(text, partBytes);
          const keys = [...files.keys()].filter((k) => k.startsWith('envoy.json.gz.'));
          fc.pre(keys.length >= 2);
          const i = pick % keys.length;
          const j = (i + 1) % keys.length;
          if (how === 'drop') files.delete(keys[i]);
          else if (how === 'swap') {
            const a = files.get(keys[i])!;
            const b = files.get(keys[j])!;
            fc.pre(!Buffer.from(a).equals(Buffer.from(b)));
            files.set(keys[i], b);
            files.set(keys[j], a);
          } else {
            const b = Buffer.from(files.get(keys[i]) as Buffer);
            b[pick % b.length] ^= 0x5a;
            files.set(keys[i], b);
            // Some bits carry no content (gzip mtime/OS bytes, padding after the last deflate block): a flip
            // there may pass, but an altered byte must never yield altered content.
            let out: string | undefined;
            try {
              out = unpackConfig(files);
            } catch (err) {
              expect(err).to.be.instanceOf(UnpackError);
            }
            if (out !== undefined) expect(out).to.equal(text);
            return;
          }
          expect(() => unpackConfig(files)).to.throw(UnpackError);
        },
      ),
      { numRuns: propertyRuns(200), endOnFailure: true },
    );
  });

  it('is deterministic: the same JSON gives the same parts', () => {
    const json = JSON.stringify({
      routes: Array.from({ length: 5000 }, (_, i) => ({ prefix: `/r${i}/`, cluster: `c${i % 97}` })),
    });
    const a = packConfig(json, 4096);
    const b = packConfig(json, 4096);
    expect(a.parts.length).to.be.greaterThan(1);
    expect(a.parts.map((p) => p.bytes.toString('hex'))).to.deep.equal(b.parts.map((p) => p.bytes.toString('hex')));
  });

  it('keeps each part, as base64, well under the 1 MiB object limit', () => {
    expect(Math.ceil(PART_BYTES / 3) * 4).to.be.below(0.7 * 1024 * 1024);
  });

  it('takes the manifests placeholder (plain envoy.json) as is', () => {
    expect(unpackConfig(new Map([['envoy.json', '{"placeholder":true}']]))).to.equal('{"placeholder":true}');
    expect(() => unpackConfig(new Map([['other', 'x']]))).to.throw(UnpackError, /neither/);
  });
});

describe('publish: spreading certificate files across Secrets', () => {
  it('packs files by name into as few Secrets as fit, never splitting a file, and refuses an oversized one', () => {
    const files = {
      'a.crt': 'a'.repeat(40),
      'a.key': 'b'.repeat(40),
      'b.crt': 'c'.repeat(30),
      'c.crt': 'd'.repeat(100),
    };
    expect(groupCertFiles(files, 100)).to.deep.equal({ ok: true, groups: [['a.crt', 'a.key'], ['b.crt'], ['c.crt']] });
    expect(groupCertFiles({}, 100)).to.deep.equal({ ok: true, groups: [[]] });
    expect(groupCertFiles({ ...files, 'huge.crt': 'x'.repeat(101) }, 100)).to.deep.equal({
      ok: false,
      oversized: [{ file: 'huge.crt', bytes: 101 }],
      limit: 100,
    });
  });

  it('every group fits and every file lands in exactly one group (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z]{1,8}\.(crt|key)$/), fc.string({ maxLength: 120 })),
        fc.integer({ min: 120, max: 400 }),
        (files, limit) => {
          const g = groupCertFiles(files, limit);
          expect(g.ok).to.equal(true);
          if (!g.ok) return;
          expect(g.groups.flat().sort()).to.deep.equal(Object.keys(files).sort());
          for (const group of g.groups)
            expect(group.reduce((n, f) => n + Buffer.byteLength(files[f]), 0)).to.be.at.most(limit);
        },
      ),
    );
  });
});
