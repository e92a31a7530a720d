/**
 * Routes that do not pass through the enforcement point because they serve no tenant data: health,
 * authentication ceremonies and static assets. Every other route declares a Cedar action; the route
 * coverage test (app.test.ts) fails when one does not.
 */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set(['GET /healthz', 'HEAD /healthz']);

export interface RouteAccess {
  /** The Cedar action the enforcement point decides, e.g. `patient.view`. */
  action: string;
}
