export * from './principal.ts';
export * from './decision.ts';
export * from './errors.ts';
export * from './audit.ts';
export * from './auth.ts';
export * from './masks.ts';
export * from './schemas.ts';
export * from './api.ts';
