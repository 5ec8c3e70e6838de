import { describe, expect, it } from 'vitest';
import { href, loginNext, parseHash } from './router.js';

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

  it('returns after sign-in only to a dashboard page, never to sign-in or elsewhere', () => {
    expect(loginNext('#/alerts?status=firing')).toBe('#/alerts?status=firing');
    expect(loginNext('#/series?ids=a,b&range=1h')).toBe('#/series?ids=a,b&range=1h');
    expect(loginNext(null)).toBe('#/overview');
    expect(loginNext('')).toBe('#/overview');
    expect(loginNext('https://evil.example/')).toBe('#/overview');
    expect(loginNext('//evil.example')).toBe('#/overview');
    expect(loginNext('#/login')).toBe('#/overview');
    expect(loginNext('#/login?next=%23%2Flogin')).toBe('#/overview');
    expect(loginNext('#/loginx')).toBe('#/loginx');
  });
});
