export * from './principal.ts';
export * from './decision.ts';
export * from './errors.ts';
export * from './audit.ts';
export * from './auth.ts';
