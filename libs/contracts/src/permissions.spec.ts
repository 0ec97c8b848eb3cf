import { ROLES } from './auth';
import { accessOf, mayCall, PERMISSIONS, PUBLIC } from './permissions';

describe('mayCall: what the web shows a role, from the matrix the API enforces', () => {
  it('lets nobody signed in call only the public routes', () => {
    expect(mayCall(null, 'GET /api/health')).toBe(true);
    expect(mayCall(null, 'POST /api/auth/sign-in')).toBe(true);
    expect(mayCall(null, 'GET /api/auth/me')).toBe(false);
    expect(mayCall(null, 'GET /api/slices')).toBe(false);
  });

  it('answers each role as its row says', () => {
    expect(ROLES.filter((role) => mayCall(role, 'GET /api/users'))).toEqual(['admin']);
    expect(ROLES.filter((role) => mayCall(role, 'POST /api/imports'))).toEqual(['admin', 'data-manager']);
    expect(ROLES.filter((role) => mayCall(role, 'POST /api/runs'))).toEqual(['admin', 'ml-engineer']);
    expect(ROLES.filter((role) => mayCall(role, 'PUT /api/slices/:id/mask'))).toEqual(['admin', 'reviewer', 'annotator']);
    expect(ROLES.filter((role) => mayCall(role, 'GET /api/auth/me'))).toEqual([...ROLES]);
  });

  it('finds every row by method and path, and none for a route nobody listed', () => {
    for (const [route, access] of Object.entries(PERMISSIONS)) {
      const [method, path] = route.split(' ');
      expect(accessOf(method, path)).toBe(access);
    }
    expect(accessOf('GET', '/api/nowhere')).toBeUndefined();
    expect(Object.values(PERMISSIONS).filter((access) => access === PUBLIC).length).toBeGreaterThan(0);
  });
});
