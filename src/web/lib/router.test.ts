import { describe, expect, it } from 'vitest';
import { href, parseHash } from './router.js';

describe('router', () => {
  it('round-trips path segments and query values with special characters', () => {
    const link = href(['alerts', 'a/b <c>'], { service: '<img src=x>', empty: '', none: undefined, n: 3 });
    expect(link).toBe('#/alerts/a%2Fb%20%3Cc%3E?service=%3Cimg+src%3Dx%3E&n=3');
    const r = parseHash(link);
    expect(r.path).toEqual(['alerts', 'a/b <c>']);
    expect(r.query.get('service')).toBe('<img src=x>');
    expect(r.query.get('n')).toBe('3');
    expect(r.query.has('empty')).toBe(false);
  });

  it('parses an empty or malformed hash without throwing', () => {
    expect(parseHash('').path).toEqual([]);
    expect(parseHash('#/series/%E0%A4%A').path).toEqual(['series', '%E0%A4%A']);
  });
});
