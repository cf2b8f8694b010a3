// planRewrite decides how Envoy rewrites; this table checks the resulting paths by applying the plan the way
// Envoy does (prefix_rewrite swaps the matched prefix; regex_rewrite is a global RE2 replace on the path).
import { expect } from 'chai';
import { escapeRe2, planRewrite } from '../../operator/compile/rewrite.js';
import type { IRRewrite } from '../../operator/compile/ir.js';

function envoyApply(plan: IRRewrite, prefix: string, path: string): string {
  if (plan.kind === 'none') return path;
  if (plan.kind === 'prefix') return plan.value + path.slice(prefix.length);
  return path.replace(new RegExp(plan.pattern, 'g'), plan.substitution);
}

describe('planRewrite', () => {
  const table: Array<
    [prefix: string, rewrite: string | undefined, path: string, want: string, kind: IRRewrite['kind']]
  > = [
    ['/user/', '/', '/user/health', '/health', 'prefix'],
    ['/user/', '/', '/user/', '/', 'prefix'],
    ['/user/', undefined, '/user/health', '/health', 'prefix'],
    ['/user', '/', '/user/health', '/health', 'regex'],
    ['/user', '/', '/user', '/', 'regex'],
    ['/user', '/', '/users', '/s', 'regex'], // plain string prefix, as in Ambassador
    ['/user', '/', '/user//x', '/x', 'regex'],
    ['/grue/', '/grue/', '/grue/x', '/grue/x', 'none'],
    ['/keep', '', '/keep/me', '/keep/me', 'none'],
    ['/api/', '/v2/', '/api/items', '/v2/items', 'prefix'],
    ['/api', '/v2/', '/api/items', '/v2/items', 'regex'],
    ['/api', '/v2', '/api/items', '/v2/items', 'prefix'],
    ['/a.b', '/', '/a.b/c', '/c', 'regex'],
    ['/a.b', '/', '/aXb/c', '/aXb/c', 'regex'], // the dot is literal: no match, no rewrite
    ['/', '/', '/x', '/x', 'none'],
    ['/', '/base/', '/x', '/base/x', 'prefix'],
    ['/(x)+', '/', '/(x)+/y', '/y', 'regex'],
  ];
  for (const [prefix, rewrite, path, want, kind] of table) {
    it(`prefix ${prefix} rewrite ${JSON.stringify(rewrite)}: ${path} → ${want}`, () => {
      const plan = planRewrite(prefix, rewrite);
      expect(plan.kind).to.equal(kind);
      const got = envoyApply(plan, prefix, path);
      expect(got).to.equal(want);
    });
  }

  it('never produces // for rewrites ending in / on single-slash paths', () => {
    for (const prefix of ['/a', '/a/', '/a/b', '/ab/']) {
      for (const rewrite of ['/', '/x/', '/x/y/']) {
        for (const rest of ['', '/', '/z', 'z', '/z/w']) {
          const path = prefix + rest;
          if (path.includes('//')) continue;
          const got = envoyApply(planRewrite(prefix, rewrite), prefix, path);
          expect(got, `${prefix} ${rewrite} ${path}`).not.to.include('//');
        }
      }
    }
  });

  it('escapeRe2 makes every metacharacter literal', () => {
    const s = '/a.b*c+d?e(f)[g]{h}|i^j$k\\l';
    expect(new RegExp(`^${escapeRe2(s)}$`).test(s)).to.equal(true);
  });
});

describe('planRewrite: backslashes in a regex substitution', () => {
  it('are escaped, so RE2 reads them literally (not as back-references)', () => {
    const plan = planRewrite('/rx', '/x\\1/');
    expect(plan).to.deep.equal({ kind: 'regex', pattern: '^/rx/*', substitution: '/x\\\\1/' });
  });
});
